package io.raylane.deploy.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.shell.ProcessShellFactory;

/**
 * A simulated worker container for tests: a real MINA SSHD server on its own loopback IP,
 * key auth, commands run by {@code /bin/sh -c} exactly as sent (like OpenSSH), with the
 * {@code ray} stand-in first on PATH and its own stand-in state directory (one "machine"
 * per worker).
 */
public final class SshWorker implements Worker {

	private final SshServer server;

	private final Path standInState;

	private SshWorker(SshServer server, Path standInState) {
		this.server = server;
		this.standInState = standInState;
	}

	public static SshWorker start(String ip, Path dir, PublicKey allowed, Path binDir) throws IOException {
		Path home = Files.createDirectories(dir.resolve("worker-" + ip));
		Path state = home.resolve("ray-standin");
		SshServer server = SshServer.setUpDefaultServer();
		server.setHost(ip);
		server.setPort(0);
		server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(home.resolve("host.key")));
		server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(allowed, key));
		server.setPasswordAuthenticator(null);
		server.setKeyboardInteractiveAuthenticator(null);
		String env = "PATH='" + binDir + "':\"$PATH\"; RAYLANE_RAY_STANDIN_DIR='" + state
				+ "'; export PATH RAYLANE_RAY_STANDIN_DIR; ";
		// ProcessShellFactory runs its command string through /bin/sh -c (its element
		// list is not used on Unix)
		server.setCommandFactory((channel, command) -> new ProcessShellFactory(env + command, List.of(env + command))
			.createShell(channel));
		server.start();
		return new SshWorker(server, state);
	}

	@Override
	public String ip() {
		return this.server.getHost();
	}

	@Override
	public int port() {
		return this.server.getPort();
	}

	/**
	 * Whether the stand-in recorded a joined node on this worker (i.e. ray start ran here
	 * and ray stop did not).
	 */
	@Override
	public boolean rayRunning() {
		return Files.exists(this.standInState.resolve(ip()));
	}

	/** Adds this worker's host key to a known_hosts file. */
	public void trustIn(Path knownHosts) throws IOException {
		try {
			PublicKey key = this.server.getKeyPairProvider().loadKeys(null).iterator().next().getPublic();
			Files.writeString(knownHosts, "[" + ip() + "]:" + port() + " " + PublicKeyEntry.toString(key) + "\n",
					StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (GeneralSecurityException ex) {
			throw new IOException(ex);
		}
	}

	@Override
	public void close() throws IOException {
		this.server.stop(true);
	}

}
