package io.raylane.deploy.fleet;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.raylane.nodeagent.ssh.TestKeys;

/**
 * A simulated worker container served by Debian's OpenSSH server
 * ({@code /usr/sbin/sshd -D}) on a loopback IP and port, with an Ed25519 host key, the
 * test's key in its authorized_keys, and {@code SetEnv} putting the {@code ray} stand-in
 * first on PATH (no systemd: the test starts the daemon itself).
 */
public final class OpenSshWorker implements Worker {

	public static final Path SSHD = Path.of("/usr/sbin/sshd");

	private final String ip;

	private final int port;

	private Process process;

	private final Path standInState;

	private final Path hostKey;

	private OpenSshWorker(String ip, int port, Process process, Path standInState, Path hostKey) {
		this.ip = ip;
		this.port = port;
		this.process = process;
		this.standInState = standInState;
		this.hostKey = hostKey;
	}

	/** Why OpenSSH cannot run here, or null when it can. */
	public static String unavailable() {
		if (!Files.isExecutable(SSHD)) {
			return SSHD + " is not installed (.ci/run installs openssh-server when it can)";
		}
		Path privsep = Path.of("/run/sshd");
		if (!Files.isDirectory(privsep)) {
			try {
				Files.createDirectories(privsep);
			}
			catch (IOException ex) {
				return "sshd's privilege separation directory " + privsep + " is missing and cannot be created ("
						+ ex.getMessage() + ")";
			}
		}
		return null;
	}

	/**
	 * @param binDir the directory put first on the sessions' PATH: it must hold the
	 * {@code ray} stand-in (a path to the script itself would leave {@code ray} not
	 * found, exit 127, on the host)
	 */
	public static OpenSshWorker start(String ip, Path dir, Path clientPublicKey, Path binDir) throws Exception {
		if (!Files.isDirectory(binDir) || !Files.isExecutable(binDir.resolve("ray"))) {
			throw new IllegalArgumentException(binDir + " is not a directory holding an executable ray");
		}
		Path home = Files.createDirectories(dir.resolve("openssh-" + ip));
		Path hostKey = TestKeys.generate(home.resolve("host_ed25519"), "ed25519");
		Path authorized = home.resolve("authorized_keys");
		Files.copy(clientPublicKey, authorized);
		Path state = home.resolve("ray-standin");
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		Path config = home.resolve("sshd_config");
		Files.writeString(config, String.join("\n", "Port " + port, "ListenAddress " + ip, "HostKey " + hostKey,
				"PidFile " + home.resolve("sshd.pid"), "AuthorizedKeysFile " + authorized, "PubkeyAuthentication yes",
				"PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no",
				"PermitRootLogin prohibit-password",
				"SetEnv PATH=" + binDir + ":/usr/local/bin:/usr/bin:/bin RAYLANE_RAY_STANDIN_DIR=" + state, ""));
		OpenSshWorker worker = new OpenSshWorker(ip, port, daemon(home), state, hostKey);
		worker.awaitListening(home.resolve("sshd.log"));
		return worker;
	}

	private static Process daemon(Path home) throws IOException {
		return new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", home.resolve("sshd_config").toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("sshd.log").toFile()))
			.start();
	}

	/**
	 * The daemon dies (SIGKILL): new connections are refused; sessions already open and
	 * what they started (the Ray worker) go on, as when a host's sshd crashes.
	 */
	public synchronized void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(10, TimeUnit.SECONDS);
	}

	/**
	 * The daemon again, on the same address, port and host key (after {@link #kill()}).
	 */
	public synchronized void restart() throws Exception {
		Path home = this.hostKey.getParent();
		this.process = daemon(home);
		awaitListening(home.resolve("sshd.log"));
	}

	private void awaitListening(Path log) throws Exception {
		Instant until = Instant.now().plus(Duration.ofSeconds(20));
		while (Instant.now().isBefore(until)) {
			if (!this.process.isAlive()) {
				throw new IOException("sshd exited " + this.process.exitValue() + ": " + Files.readString(log));
			}
			try (java.net.Socket socket = new java.net.Socket(this.ip, this.port)) {
				return;
			}
			catch (IOException notYet) {
				Thread.sleep(50);
			}
		}
		throw new IOException("sshd did not listen on " + this.ip + ":" + this.port + ": " + Files.readString(log));
	}

	@Override
	public String ip() {
		return this.ip;
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public boolean rayRunning() {
		return Files.exists(this.standInState.resolve(this.ip));
	}

	public void trustIn(Path knownHosts) throws IOException {
		Files.writeString(knownHosts,
				"[" + this.ip + "]:" + this.port + " " + Files.readString(Path.of(this.hostKey + ".pub")).trim() + "\n",
				StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	@Override
	public synchronized void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

}
