package io.raylane.deploy.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The measuring parts of {@link FootprintBenchmark}: one launch of a jar as a child
 * process, the figures read from it, and the table they make.
 */
final class Footprint {

	/**
	 * Generous: on a shared machine under load a cold start has taken minutes.
	 */
	private static final Duration START_TIMEOUT = Duration.ofSeconds(Long.getLong("bench.startTimeoutSeconds", 600));

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	/** Killing a training start before its exit completes would leave no archive. */
	private static final Duration ARCHIVE_WRITE_TIMEOUT = Duration.ofMinutes(5);

	private Footprint() {
	}

	/** This JVM's java: the launches, the archive and the extraction all use one JDK. */
	static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * Extracts a Spring Boot fat jar with its own jar tools into a fresh directory.
	 * @return the extracted application jar, to start with {@code java -jar}
	 */
	static Path extract(Path jar, Path destination) throws IOException, InterruptedException {
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " is not built; run ./mvnw -B -ntp -DskipTests package");
		}
		Files.createDirectories(destination.getParent());
		Path log = destination.resolveSibling(destination.getFileName() + ".log");
		Process extract = new ProcessBuilder(LaunchMode.extractCommand(java(), jar, destination))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		if (!extract.waitFor(5, TimeUnit.MINUTES) || extract.exitValue() != 0) {
			extract.destroyForcibly();
			throw new IllegalStateException("extracting " + jar + " failed; see " + log);
		}
		Path extracted = LaunchMode.extractedJar(jar, destination);
		if (!Files.isRegularFile(extracted)) {
			throw new IllegalStateException("extracting " + jar + " made no " + extracted + "; see " + log);
		}
		return extracted;
	}

	/**
	 * One row of the table.
	 *
	 * @param name what was started
	 * @param coldSeconds launch → health UP on a fresh data directory
	 * @param warmSeconds the same on the second start, same data directory
	 * @param warmCpuSeconds the JVM's CPU time (user + system, all threads) when the warm
	 * start answered UP: less distorted by other work on a shared machine than the wall
	 * time
	 * @param rssMb VmRSS after the idle time
	 * @param heapUsedMb the JVM's heap in use after the idle time
	 * @param heapCommittedMb the heap the JVM holds from the OS then
	 */
	record Row(String name, double coldSeconds, double warmSeconds, double warmCpuSeconds, long rssMb, long heapUsedMb,
			long heapCommittedMb) {

		/** The same figures, the launch named after what was started. */
		Row launchedAs(String launch) {
			return new Row(this.name + ", " + launch, this.coldSeconds, this.warmSeconds, this.warmCpuSeconds,
					this.rssMb, this.heapUsedMb, this.heapCommittedMb);
		}

	}

	/**
	 * How to start one jar and where it answers.
	 *
	 * @param token a bearer token for the metrics endpoint, or null
	 */
	record Launch(String name, Path jar, List<String> jvmOptions, Map<String, String> env, Path home, String healthUrl,
			String metricsUrl, String token) {

		/**
		 * Starts twice on the same data directory; measures the second start and the idle
		 * process after it.
		 */
		Row measureWarm(int idleSeconds) throws Exception {
			if (!Files.isRegularFile(this.jar)) {
				throw new IllegalStateException(this.jar + " is not built; run ./mvnw -B -ntp -DskipTests package");
			}
			Files.createDirectories(this.home);
			Process cold = start("cold");
			double coldSeconds;
			try {
				coldSeconds = awaitUp(cold, "cold");
			}
			finally {
				stop(cold);
			}
			Process warm = start("warm");
			try {
				double warmSeconds = awaitUp(warm, "warm");
				double warmCpuSeconds = cpuSeconds(warm.pid());
				System.out.printf("%s: UP after %.1f s cold, %.1f s warm (%.1f s CPU); idling %d s%n", this.name,
						coldSeconds, warmSeconds, warmCpuSeconds, idleSeconds);
				reportArchive(warm.pid());
				Thread.sleep(idleSeconds * 1000L);
				long rss = rssKb(warm.pid()) / 1024;
				String metrics = get(this.metricsUrl).body();
				long used = (long) (heapBytes(metrics, "jvm_memory_used_bytes") / (1024 * 1024));
				long committed = (long) (heapBytes(metrics, "jvm_memory_committed_bytes") / (1024 * 1024));
				return new Row(this.name, coldSeconds, warmSeconds, warmCpuSeconds, rss, used, committed);
			}
			finally {
				stop(warm);
			}
		}

		/**
		 * A CDS training start (its options write the archive at exit): up, then stopped
		 * as {@link #stop} does, but given time to write the archive, which takes seconds
		 * (about 130 MB for the all-in-one).
		 */
		void train(Path archive) throws Exception {
			Files.createDirectories(this.home);
			long began = System.nanoTime();
			Process process = start("train");
			try {
				double seconds = awaitUp(process, "train");
				System.out.printf("%s: training start UP after %.1f s; stopping, the archive is written at exit%n",
						this.name, seconds);
			}
			finally {
				stop(process, ARCHIVE_WRITE_TIMEOUT);
			}
			if (!Files.isRegularFile(archive)) {
				throw new IllegalStateException(this.name + ": the training start (exit " + process.exitValue()
						+ ") wrote no " + archive + "; see " + this.home.resolve("train.log"));
			}
			System.out.printf("%s: archive %s, %d MB, trained in %.1f s%n", this.name, archive,
					Files.size(archive) / (1024 * 1024), (System.nanoTime() - began) / 1e9);
		}

		/**
		 * Whether the warm start mapped the CDS archive it was given: with the default
		 * {@code -Xshare:auto} a JVM that cannot use it (another JDK build, another class
		 * path) starts without it and says nothing.
		 */
		private void reportArchive(long pid) throws IOException {
			String prefix = "-XX:SharedArchiveFile=";
			for (String option : this.jvmOptions) {
				if (option.startsWith(prefix)) {
					String archive = option.substring(prefix.length());
					boolean mapped = Files.readString(Path.of("/proc", String.valueOf(pid), "maps")).contains(archive);
					System.out.printf("%s: archive %s %s%n", this.name, archive,
							mapped ? "mapped" : "NOT MAPPED (the JVM ignored it)");
				}
			}
		}

		private Process start(String which) throws IOException {
			ProcessBuilder builder = new ProcessBuilder(LaunchMode.startCommand(java(), this.jvmOptions, this.jar));
			// only this benchmark's settings, none of the machine's
			builder.environment()
				.keySet()
				.removeIf((key) -> key.startsWith("SPRING_") || key.startsWith("RAYLANE_") || key.startsWith("SERVER_")
						|| key.startsWith("MANAGEMENT_") || key.startsWith("LOGGING_")
						|| key.equals("JAVA_TOOL_OPTIONS") || key.equals("JDK_JAVA_OPTIONS"));
			builder.environment().putAll(this.env);
			builder.directory(this.home.toFile());
			builder.redirectErrorStream(true);
			builder.redirectOutput(this.home.resolve(which + ".log").toFile());
			return builder.start();
		}

		private double awaitUp(Process process, String which) throws Exception {
			// the kernel's start time of the process: the JVM's own start-up counts too
			long start = process.info()
				.startInstant()
				.map((t) -> t.toEpochMilli())
				.orElseThrow(() -> new IllegalStateException("no start time for process " + process.pid()));
			long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
			while (System.nanoTime() < deadline) {
				if (!process.isAlive()) {
					throw new IllegalStateException(this.name + " exited with " + process.exitValue() + "; see "
							+ this.home.resolve(which + ".log"));
				}
				try {
					HttpResponse<String> health = get(this.healthUrl);
					if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
						return (System.currentTimeMillis() - start) / 1000.0;
					}
				}
				catch (IOException ex) {
					// not listening yet
				}
				Thread.sleep(50);
			}
			throw new IllegalStateException(this.name + ": no health UP within " + START_TIMEOUT);
		}

		private HttpResponse<String> get(String url) throws IOException, InterruptedException {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
			if (this.token != null) {
				request.header("Authorization", "Bearer " + this.token);
			}
			return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}

		/**
		 * SIGTERM, as a user's Ctrl-C: the shutdown hook closes everything, so the next
		 * start finds a cleanly closed broker log and state.
		 */
		private static void stop(Process process) throws InterruptedException {
			stop(process, Duration.ofSeconds(60));
		}

		private static void stop(Process process, Duration patience) throws InterruptedException {
			process.destroy();
			if (!process.waitFor(patience.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
			}
		}

	}

	/**
	 * The sum of a Micrometer JVM memory gauge over the heap's pools, from Prometheus'
	 * text format (e.g. {@code jvm_memory_used_bytes{area="heap",id="G1 Eden Space"}
	 * 1.2E7}).
	 */
	static double heapBytes(String prometheusText, String metric) {
		double sum = 0;
		for (String line : prometheusText.split("\n")) {
			if (line.startsWith(metric + "{") && line.contains("area=\"heap\"")) {
				sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
			}
		}
		return sum;
	}

	/**
	 * The process's CPU time so far, user + system, from /proc/&lt;pid&gt;/stat (fields
	 * 14 and 15, in clock ticks of {@link #CLOCK_TICKS_PER_SECOND}; proc(5)).
	 */
	static double cpuSeconds(long pid) throws IOException {
		return cpuSeconds(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
	}

	/**
	 * USER_HZ, what /proc reports times in: 100 on every Linux architecture the JDK runs
	 * on (sysconf(_SC_CLK_TCK), which Java cannot call).
	 */
	static final int CLOCK_TICKS_PER_SECOND = 100;

	/**
	 * The CPU seconds of one /proc/&lt;pid&gt;/stat line. Its second field, the command
	 * name in parentheses, may hold spaces: the fields are counted after its closing
	 * parenthesis.
	 */
	static double cpuSeconds(String statLine) {
		String[] after = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split(" ");
		// after[0] is field 3 (state): utime is field 14, stime field 15
		long ticks = Long.parseLong(after[11]) + Long.parseLong(after[12]);
		return ticks / (double) CLOCK_TICKS_PER_SECOND;
	}

	/** VmRSS of /proc/&lt;pid&gt;/status, in kB. */
	static long rssKb(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D", ""));
			}
		}
		throw new IllegalStateException("no VmRSS for process " + pid);
	}

	static long totalMemoryMb() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemTotal:")) {
					return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
				}
			}
		}
		catch (IOException ex) {
			// not Linux
		}
		return -1;
	}

	/** The load averages of /proc/loadavg: other work on the machine skews the times. */
	static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException ex) {
			return "n/a";
		}
	}

	static String table(List<Row> rows) {
		StringBuilder out = new StringBuilder();
		out.append("| started | cold → UP | warm → UP | warm CPU to UP | RSS idle | heap used | heap committed |\n");
		out.append("|---|---:|---:|---:|---:|---:|---:|\n");
		for (Row row : rows) {
			out.append(String.format("| %s | %.1f s | %.1f s | %.1f s | %d MB | %d MB | %d MB |%n", row.name(),
					row.coldSeconds(), row.warmSeconds(), row.warmCpuSeconds(), row.rssMb(), row.heapUsedMb(),
					row.heapCommittedMb()));
		}
		return out.toString();
	}

}
