package io.raylane.nodeagent.ssh;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import io.raylane.topics.node.NodeSpec;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RemoteShell} over SSH with Apache MINA SSHD: public-key authentication with the
 * default or the node's key file, host keys checked against a known_hosts file (strict,
 * or accept-new which records the key), connect / auth / command timeouts, a bound on
 * concurrent commands, and one session per node reused while it stays open (a provision
 * and a later stop of the same node share it when close together). Reasons it gives name
 * files and fingerprints, never key material.
 */
public final class MinaRemoteShell implements RemoteShell, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(MinaRemoteShell.class);

	/**
	 * Why the host key was refused, set on the session by the verifier and read when
	 * authentication fails.
	 */
	static final AttributeKey<String> HOST_KEY_REFUSAL = new AttributeKey<>();

	private static final int TAIL_BYTES = 8 * 1024;

	private final SshSettings settings;

	private final SshClient client;

	private final Semaphore permits;

	private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();

	public MinaRemoteShell(SshSettings settings) {
		this.settings = settings;
		this.permits = new Semaphore(settings.maxConcurrentCommands());
		this.client = SshClient.setUpDefaultClient();
		KnownHostsServerKeyVerifier verifier = new KnownHostsServerKeyVerifier(unknownHostPolicy(),
				settings.knownHosts());
		verifier.setModifiedServerKeyAcceptor((session, remote, entry, expected, actual) -> {
			session.setAttribute(HOST_KEY_REFUSAL,
					"the host key of " + remote + " CHANGED (known_hosts " + settings.knownHosts() + " has "
							+ KeyUtils.getFingerPrint(expected) + ", the server offered "
							+ KeyUtils.getFingerPrint(actual) + "); refused even in accept-new mode");
			return false;
		});
		this.client.setServerKeyVerifier(verifier);
		this.client.start();
	}

	private ServerKeyVerifier unknownHostPolicy() {
		return (session, remote, key) -> {
			String fingerprint = KeyUtils.getFingerPrint(key);
			if (this.settings.acceptNewHostKeys()) {
				log.info("accepting the new host key {} of {} and recording it in {}", fingerprint, remote,
						this.settings.knownHosts());
				return true;
			}
			session.setAttribute(HOST_KEY_REFUSAL,
					"the host key " + fingerprint + " of " + remote + " is not in the known_hosts file "
							+ this.settings.knownHosts()
							+ " (strict host key checking: add it, or set RAYLANE_SSH_ACCEPT_NEW_HOST_KEYS=true)");
			return false;
		};
	}

	@Override
	public CommandResult run(NodeSpec node, RemoteCommand command) {
		String commandLine = command.commandLine();
		byte[] stdin = command.hasSecret() ? command.secretStdin().getBytes(StandardCharsets.UTF_8) : null;
		try {
			this.permits.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ShellException("interrupted while waiting for an SSH slot", false, ex);
		}
		try {
			ClientSession session = session(node);
			try {
				return exec(session, node, commandLine, stdin);
			}
			catch (IOException ex) {
				// the reused session died under us: one fresh session, then give up
				this.sessions.remove(target(node), session);
				session.close(true);
				try {
					return exec(session(node), node, commandLine, stdin);
				}
				catch (IOException again) {
					throw new TransientShellException(where(node) + ": " + describe(again), again);
				}
			}
		}
		finally {
			this.permits.release();
		}
	}

	private CommandResult exec(ClientSession session, NodeSpec node, String commandLine, byte[] stdin)
			throws IOException {
		TailBuffer out = new TailBuffer(TAIL_BYTES);
		TailBuffer err = new TailBuffer(TAIL_BYTES);
		log.info("{}: running {}{}", where(node), commandLine, (stdin != null) ? " (a secret on stdin)" : "");
		try (ChannelExec channel = session.createExecChannel(commandLine)) {
			channel.setOut(out);
			channel.setErr(err);
			if (stdin != null) {
				// pumped to the remote stdin, then EOF: the secret travels inside the
				// encrypted channel, never in the command line
				channel.setIn(new ByteArrayInputStream(stdin));
			}
			channel.open().verify(this.settings.connectTimeout());
			Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED),
					this.settings.commandTimeout());
			if (!events.contains(ClientChannelEvent.CLOSED)) {
				throw new ShellException(
						where(node) + ": '" + commandLine + "' did not finish within " + this.settings.commandTimeout(),
						false);
			}
			Integer exit = channel.getExitStatus();
			if (exit == null) {
				throw new ShellException(where(node) + ": '" + commandLine + "' ended without an exit status"
						+ ((channel.getExitSignal() != null) ? " (signal " + channel.getExitSignal() + ")" : ""),
						false);
			}
			return new CommandResult(exit, out.tail(this.settings.tailLines()), err.tail(this.settings.tailLines()));
		}
	}

	/**
	 * The open session of the node, or a new one: connect (transient failures), then host
	 * key and auth.
	 */
	private ClientSession session(NodeSpec node) {
		String target = target(node);
		ClientSession cached = this.sessions.get(target);
		if (cached != null && cached.isOpen() && cached.isAuthenticated()) {
			return cached;
		}
		if (cached != null) {
			this.sessions.remove(target, cached);
			cached.close(true);
		}
		KeyPair key = loadKey(node);
		ClientSession session;
		try {
			session = this.client.connect(node.user(), node.host(), node.portOrDefault())
				.verify(this.settings.connectTimeout())
				.getSession();
		}
		catch (IOException ex) {
			if (refusedHostKey(ex)) {
				throw new ShellException("ssh " + where(node) + " refused: " + unvalidatedHostKey(node), false, ex);
			}
			throw new TransientShellException("cannot connect to " + where(node) + ": " + describe(ex), ex);
		}
		try {
			session.addPublicKeyIdentity(key);
			session.auth().verify(this.settings.authTimeout());
		}
		catch (IOException ex) {
			String refusal = session.getAttribute(HOST_KEY_REFUSAL);
			session.close(true);
			if (refusal == null && refusedHostKey(ex)) {
				// the known_hosts verifier can refuse without asking our policies (seen
				// once under load): say the
				// same thing in words an operator can act on
				refusal = unvalidatedHostKey(node);
			}
			if (refusal != null) {
				throw new ShellException("ssh " + where(node) + " refused: " + refusal, false, ex);
			}
			if (String.valueOf(ex.getMessage()).contains("No more authentication methods")) {
				throw new ShellException("ssh " + where(node) + ": the server refused the key " + keyFile(node)
						+ " for user " + node.user(), false, ex);
			}
			if (isNetwork(ex)) {
				throw new TransientShellException("ssh " + where(node) + ": " + describe(ex), ex);
			}
			throw new ShellException("ssh " + where(node) + " failed: " + describe(ex), false, ex);
		}
		ClientSession previous = this.sessions.put(target, session);
		if (previous != null && previous != session) {
			previous.close(true);
		}
		return session;
	}

	private KeyPair loadKey(NodeSpec node) {
		Path file = keyFile(node);
		if (!Files.isReadable(file)) {
			throw new ShellException("the SSH key file " + file + " does not exist or is not readable", false);
		}
		try {
			Iterator<KeyPair> keys = new FileKeyPairProvider(file).loadKeys(null).iterator();
			if (!keys.hasNext()) {
				throw new ShellException("cannot read the SSH key file " + file + " (no private key in it)", false);
			}
			return keys.next();
		}
		catch (RuntimeException ex) {
			if (ex instanceof ShellException shell) {
				throw shell;
			}
			// the parser's message could quote the file: report the kind of failure only
			throw new ShellException("cannot read the SSH key file " + file + " (" + ex.getClass().getSimpleName()
					+ "; passphrase-protected keys are not supported)", false);
		}
	}

	/** The node's key: a file of the key directory it names, or the default key. */
	Path keyFile(NodeSpec node) {
		if (node.sshKey() == null) {
			return this.settings.defaultKey();
		}
		Path dir = this.settings.keyDir().toAbsolutePath().normalize();
		Path file = dir.resolve(node.sshKey()).normalize();
		if (!file.getParent().equals(dir)) {
			throw new ShellException("ssh_key must name a file in " + dir, false);
		}
		return file;
	}

	private static String target(NodeSpec node) {
		return node.user() + "@" + node.host() + ":" + node.portOrDefault() + "#" + node.sshKey();
	}

	private static String where(NodeSpec node) {
		return node.user() + "@" + node.host() + ":" + node.portOrDefault();
	}

	private static boolean isNetwork(Throwable ex) {
		for (Throwable t = ex; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
			if (t instanceof ConnectException || t instanceof NoRouteToHostException
					|| t instanceof SocketTimeoutException || t instanceof UnknownHostException) {
				return true;
			}
		}
		return false;
	}

	private static String describe(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
		return (root == ex) ? message : message + " (" + ex.getClass().getSimpleName() + ")";
	}

	@Override
	public void close() {
		this.sessions.values().forEach((s) -> s.close(true));
		this.sessions.clear();
		this.client.stop();
	}

	/**
	 * MINA's words when the server key verifier said no (a refusal is never worth
	 * retrying).
	 */
	private static boolean refusedHostKey(IOException ex) {
		return String.valueOf(ex.getMessage()).contains("Server key did not validate");
	}

	private String unvalidatedHostKey(NodeSpec node) {
		return "the host key of " + where(node) + " is not in the known_hosts file " + this.settings.knownHosts()
				+ ", or it changed (strict host key checking: add it, or set RAYLANE_SSH_ACCEPT_NEW_HOST_KEYS=true)";
	}

}
