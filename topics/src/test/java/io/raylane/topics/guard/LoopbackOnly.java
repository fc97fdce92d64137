package io.raylane.topics.guard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test JVMs' guard against traffic off the machine (issue 12): a SecurityManager
 * whose {@code checkConnect} refuses any destination outside loopback (127.0.0.0/8, ::1),
 * the link-local subnet the real-Ray fixture gives its own network namespaces
 * (169.254.0.0/16, less the cloud metadata service's 169.254.169.0/24) and the wildcard
 * address. The JDK asks it before every TCP connect and UDP send, blocking or NIO
 * ({@code Socket}, {@code SocketChannel}, {@code DatagramSocket}, so also
 * {@code HttpClient}, Kafka's clients and MINA SSHD), so no packet leaves: the
 * {@link SecurityException} is thrown before the connect. Every other permission is
 * granted (name lookups, Unix-domain sockets, files, processes): only connections are
 * guarded. Child processes (Ray, sshd, Chromium, promtool, child JVMs) are not covered.
 * <p>
 * Refusals are also remembered, so that {@link LoopbackOnlyExtension} fails the test even
 * when the code under test swallows the exception (a client that retries for ever).
 */
public final class LoopbackOnly extends SecurityManager {

	private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

	private static final ConcurrentLinkedQueue<String> REFUSED = new ConcurrentLinkedQueue<>();

	private LoopbackOnly() {
	}

	/**
	 * Installs the guard JVM-wide unless it is there already. Java 17 allows it; Java 18
	 * to 23 only with {@code -Djava.security.manager=allow} (the root pom's surefire and
	 * failsafe {@code argLine} pass it); Java 24 has no SecurityManager any more (JEP
	 * 486), and the guard will need another mechanism there.
	 */
	public static synchronized void install() {
		if (!(System.getSecurityManager() instanceof LoopbackOnly)) {
			// Java 17 prints a deprecation warning (once per JVM), allowed or not
			System.setSecurityManager(new LoopbackOnly());
		}
	}

	/** Whether the guard is in place in this JVM. */
	public static boolean installed() {
		return System.getSecurityManager() instanceof LoopbackOnly;
	}

	/** The refusals since the last call, oldest first; the list is emptied. */
	public static List<String> takeRefusals() {
		List<String> taken = new ArrayList<>();
		for (String refusal = REFUSED.poll(); refusal != null; refusal = REFUSED.poll()) {
			taken.add(refusal);
		}
		return taken;
	}

	/**
	 * Why a connection to {@code host:port} is refused, or empty when it may go ahead.
	 * @param host an IP literal (what the JDK passes for a connect), or a host name (a
	 * URL connection's check before it resolves)
	 * @param port the destination port; -1 is a name lookup, which is not a connection
	 */
	public static Optional<String> refusal(String host, int port) {
		if (port == -1 || host == null) {
			return Optional.empty();
		}
		String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		if (allowedLiteral(bare).orElseGet(() -> allowedName(bare))) {
			return Optional.empty();
		}
		return Optional.of("a test tried to connect to " + bare + ":" + port
				+ "; tests may connect only to 127.0.0.0/8, ::1 and the fixture's 169.254.0.0/16 "
				+ "(LoopbackOnly, docs/testing.md)");
	}

	/** Empty when {@code host} is not an IP literal. */
	private static Optional<Boolean> allowedLiteral(String host) {
		Matcher v4 = IPV4.matcher(host);
		if (v4.matches()) {
			int a = Integer.parseInt(v4.group(1));
			int b = Integer.parseInt(v4.group(2));
			int c = Integer.parseInt(v4.group(3));
			boolean wildcard = host.equals("0.0.0.0");
			return Optional.of(a == 127 || wildcard || (a == 169 && b == 254 && c != 169));
		}
		if (host.indexOf(':') < 0) {
			return Optional.empty();
		}
		try {
			// an IPv6 literal: parsed, never looked up
			return Optional.of(allowed(InetAddress.getByName(host)));
		}
		catch (UnknownHostException ex) {
			return Optional.of(false);
		}
	}

	/**
	 * A host name is allowed when every address it has is: {@code localhost} is, a name
	 * that does not resolve cannot be connected to at all.
	 */
	private static boolean allowedName(String host) {
		if (host.toLowerCase(Locale.ROOT).equals("localhost")) {
			return true;
		}
		try {
			for (InetAddress address : InetAddress.getAllByName(host)) {
				if (!allowed(address)) {
					return false;
				}
			}
			return true;
		}
		catch (UnknownHostException ex) {
			return true;
		}
	}

	private static boolean allowed(InetAddress address) {
		if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
			return true;
		}
		byte[] bytes = address.getAddress();
		// IPv4 (an IPv4-mapped IPv6 literal arrives as an Inet4Address too)
		return bytes.length == 4 && (bytes[0] & 0xff) == 169 && (bytes[1] & 0xff) == 254 && (bytes[2] & 0xff) != 169;
	}

	@Override
	public void checkConnect(String host, int port) {
		refusal(host, port).ifPresent(LoopbackOnly::refuse);
	}

	@Override
	public void checkConnect(String host, int port, Object context) {
		refusal(host, port).ifPresent(LoopbackOnly::refuse);
	}

	private static void refuse(String why) {
		REFUSED.add(why);
		throw new SecurityException(why);
	}

	// everything else is allowed, cheaply: the guard is about connections only

	@Override
	public void checkPermission(Permission perm) {
	}

	@Override
	public void checkPermission(Permission perm, Object context) {
	}

}
