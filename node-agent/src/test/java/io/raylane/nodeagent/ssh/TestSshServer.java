package io.raylane.nodeagent.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.shell.ProcessShellFactory;

/**
 * A real SSH server for tests: MINA SSHD on a loopback address, public-key auth for one
 * key, commands run by {@code /bin/sh -c}, optionally with a directory put first on PATH.
 */
public final class TestSshServer implements AutoCloseable {

	private final SshServer server;

	private final AtomicInteger sessions = new AtomicInteger();

	private TestSshServer(SshServer server) {
		this.server = server;
	}

	public static TestSshServer start(String host, Path hostKeyFile, PublicKey allowed, Path pathPrefix)
			throws IOException {
		SshServer server = SshServer.setUpDefaultServer();
		server.setHost(host);
		server.setPort(0);
		server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(hostKeyFile));
		server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(allowed, key));
		server.setPasswordAuthenticator(null);
		server.setKeyboardInteractiveAuthenticator(null);
		String prefix = (pathPrefix != null) ? "PATH='" + pathPrefix + "':\"$PATH\"; export PATH; " : "";
		// like OpenSSH: /bin/sh -c gets the exec request's string (ProcessShellFactory's
		// command; its element
		// list is not used on Unix)
		server.setCommandFactory((channel,
				command) -> new ProcessShellFactory(prefix + command, List.of(prefix + command)).createShell(channel));
		TestSshServer fixture = new TestSshServer(server);
		server.addSessionListener(new SessionListener() {
			@Override
			public void sessionCreated(Session session) {
				fixture.sessions.incrementAndGet();
			}
		});
		server.start();
		return fixture;
	}

	public int port() {
		return this.server.getPort();
	}

	public String host() {
		return this.server.getHost();
	}

	/** SSH sessions opened so far. */
	public int sessions() {
		return this.sessions.get();
	}

	public PublicKey hostKey() {
		try {
			KeyPair pair = this.server.getKeyPairProvider().loadKeys(null).iterator().next();
			return pair.getPublic();
		}
		catch (IOException | java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** This server's line for an OpenSSH known_hosts file. */
	public String knownHostsLine() {
		return "[" + host() + "]:" + port() + " " + PublicKeyEntry.toString(hostKey());
	}

	/** Appends this server's host key to a known_hosts file. */
	public void trustIn(Path knownHosts) throws IOException {
		Files.writeString(knownHosts, knownHostsLine() + "\n", java.nio.file.StandardOpenOption.CREATE,
				java.nio.file.StandardOpenOption.APPEND);
	}

	@Override
	public void close() throws IOException {
		this.server.stop(true);
	}

}
