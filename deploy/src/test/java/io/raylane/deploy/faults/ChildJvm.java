package io.raylane.deploy.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One process of the fault campaign: a JVM running {@code mainClass} on the test's class
 * path, its output appended to {@code <name>.log}. It can be killed with SIGKILL (no
 * shutdown hook runs), paused with SIGSTOP and resumed with SIGCONT, and started again
 * with the same arguments, as a supervisor (systemd, Kubernetes) would restart it.
 */
public final class ChildJvm implements AutoCloseable {

	private final String name;

	private final List<String> command;

	private final Path log;

	private Process process;

	private int starts;

	public ChildJvm(String name, String mainClass, List<String> jvmOptions, List<String> args, Path dir) {
		String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + dir));
		command.addAll(jvmOptions);
		command.addAll(List.of("-cp", classpath, mainClass));
		command.addAll(args);
		this.name = name;
		this.command = List.copyOf(command);
		this.log = dir.resolve(name + ".log");
	}

	public String name() {
		return this.name;
	}

	public Path log() {
		return this.log;
	}

	/** How many times the process was started (1 + restarts). */
	public synchronized int starts() {
		return this.starts;
	}

	public synchronized void start() {
		if (this.process != null && this.process.isAlive()) {
			throw new IllegalStateException(this.name + " is running");
		}
		ProcessBuilder builder = new ProcessBuilder(this.command);
		// only what the campaign passes: no SPRING_* / RAYLANE_* of the machine running
		// it
		builder.environment()
			.keySet()
			.removeIf((n) -> n.startsWith("SPRING_") || n.startsWith("RAYLANE_") || n.startsWith("SERVER_")
					|| n.startsWith("MANAGEMENT_"));
		builder.redirectErrorStream(true);
		builder.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()));
		try {
			this.process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.starts++;
	}

	public synchronized boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	public synchronized long pid() {
		return this.process.pid();
	}

	/** SIGKILL, and wait until the process is gone. */
	public synchronized void kill() throws InterruptedException {
		if (this.process != null) {
			this.process.destroyForcibly();
			this.process.waitFor(60, TimeUnit.SECONDS);
		}
	}

	/** SIGSTOP: the process keeps its sockets and state but answers nothing. */
	public synchronized void pause() {
		signal("STOP");
	}

	/** SIGCONT after {@link #pause()}. */
	public synchronized void resume() {
		signal("CONT");
	}

	private void signal(String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(this.process.pid())).start();
			if (kill.waitFor() != 0) {
				throw new IllegalStateException("kill -" + signal + " " + this.process.pid() + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * SIGCONT (a paused process cannot act on SIGTERM), SIGTERM so that it shuts down
	 * cleanly, then SIGKILL after 30 s.
	 */
	@Override
	public synchronized void close() throws InterruptedException {
		if (this.process == null || !this.process.isAlive()) {
			return;
		}
		try {
			resume();
		}
		catch (RuntimeException ex) {
			// gone meanwhile
		}
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		}
	}

}
