package io.raylane.deploy.metrics;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A server program a test starts on 127.0.0.1 (Prometheus, Alertmanager): its output goes
 * to a log file, {@link #awaitReady} waits for its {@code /-/ready}, and {@link #close}
 * stops it (SIGTERM, then SIGKILL) and waits for its end, so the test leaves no process.
 */
public final class ExternalServer implements AutoCloseable {

	private final String name;

	private final Process process;

	private final Path log;

	private final int port;

	private ExternalServer(String name, Process process, Path log, int port) {
		this.name = name;
		this.process = process;
		this.log = log;
		this.port = port;
	}

	/**
	 * Starts {@code command} in {@code dir}, its output in {@code dir/<name>.log}.
	 * @param port the 127.0.0.1 port the command listens on
	 */
	public static ExternalServer start(String name, List<String> command, Path dir, int port) throws IOException {
		Path log = dir.resolve(name + ".log");
		Process process = new ProcessBuilder(command).directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		process.getOutputStream().close();
		return new ExternalServer(name, process, log, port);
	}

	/** A free port of 127.0.0.1 (free when asked). */
	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
	}

	public String url() {
		return "http://127.0.0.1:" + this.port;
	}

	/**
	 * Waits until {@code /-/ready} answers 200; fails with the server's log otherwise.
	 */
	public ExternalServer awaitReady(Duration atMost) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		await(this.name + " ready at " + url() + "/-/ready; its log: " + this.log).atMost(atMost)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> {
				if (!this.process.isAlive()) {
					throw new IllegalStateException(this.name + " exited " + this.process.exitValue() + ":\n" + log());
				}
				try {
					return http
						.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).build(),
								HttpResponse.BodyHandlers.discarding())
						.statusCode() == 200;
				}
				catch (IOException ex) {
					return false;
				}
			});
		return this;
	}

	/** The server's output so far. */
	public String log() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
	}

}
