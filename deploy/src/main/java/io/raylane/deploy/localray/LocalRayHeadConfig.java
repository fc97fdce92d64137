package io.raylane.deploy.localray;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Configuration of the local Ray-compatible head.
 *
 * @param stateDir where the head keeps its job table, driver logs and exit codes ({@code RAYLANE_DATA_DIR/local-ray})
 * @param port dashboard HTTP port on 127.0.0.1; 0 picks a free port
 * @param workers simulated workers joined at start (IPs 127.0.0.2, 127.0.0.3, ...)
 * @param gpusPerWorker GPUs of each simulated worker
 * @param pool the Raylane pool of the simulated workers ({@code raylane-pool-<pool>} resource)
 * @param startTimeout a job still PENDING after this fails ({@code RAY_JOB_START_TIMEOUT_SECONDS}, default 900 s)
 * @param stopWait grace between SIGTERM and SIGKILL on stop ({@code RAY_JOB_STOP_WAIT_TIME_S}, default 3 s)
 * @param killDriversOnClose whether {@link LocalRayHead#close()} kills the running drivers (false simulates a crash)
 */
public record LocalRayHeadConfig(Path stateDir, int port, int workers, int gpusPerWorker, String pool,
		Duration startTimeout, Duration stopWait, boolean killDriversOnClose) {

	public static final int DEFAULT_PORT = 8265;

	public static final String STATE_DIR_NAME = "local-ray";

	public LocalRayHeadConfig {
		if (stateDir == null) {
			throw new IllegalArgumentException("stateDir is required");
		}
		stateDir = stateDir.toAbsolutePath().normalize();
		if (workers < 0 || workers > 250) {
			throw new IllegalArgumentException("workers must be between 0 and 250");
		}
		if (pool == null || pool.isBlank()) {
			throw new IllegalArgumentException("pool is required");
		}
	}

	/** Port 8265, two workers of pool {@code default} with 4 GPUs each, Ray's default timeouts, kill on close. */
	public static LocalRayHeadConfig defaults(Path stateDir) {
		return new LocalRayHeadConfig(stateDir, DEFAULT_PORT, 2, 4, "default", Duration.ofSeconds(900),
				Duration.ofSeconds(3), true);
	}

	/**
	 * From environment variables: RAYLANE_DATA_DIR (state in its {@code local-ray} sub-directory, default
	 * ./.raylane/data), RAYLANE_LOCAL_RAY_PORT, RAYLANE_LOCAL_WORKERS, RAYLANE_LOCAL_WORKER_GPUS,
	 * RAYLANE_LOCAL_POOL, RAY_JOB_START_TIMEOUT_SECONDS, RAY_JOB_STOP_WAIT_TIME_S.
	 */
	public static LocalRayHeadConfig fromEnvironment(Map<String, String> env) {
		Path dataDir = Path.of(text(env, "RAYLANE_DATA_DIR", "./.raylane/data"));
		LocalRayHeadConfig d = defaults(dataDir.resolve(STATE_DIR_NAME));
		return new LocalRayHeadConfig(d.stateDir(), integer(env, "RAYLANE_LOCAL_RAY_PORT", d.port()),
				integer(env, "RAYLANE_LOCAL_WORKERS", d.workers()),
				integer(env, "RAYLANE_LOCAL_WORKER_GPUS", d.gpusPerWorker()), text(env, "RAYLANE_LOCAL_POOL", d.pool()),
				seconds(env, "RAY_JOB_START_TIMEOUT_SECONDS", d.startTimeout()),
				seconds(env, "RAY_JOB_STOP_WAIT_TIME_S", d.stopWait()), true);
	}

	public LocalRayHeadConfig withPort(int port) {
		return new LocalRayHeadConfig(this.stateDir, port, this.workers, this.gpusPerWorker, this.pool,
				this.startTimeout, this.stopWait, this.killDriversOnClose);
	}

	public LocalRayHeadConfig withWorkers(int workers, int gpusPerWorker, String pool) {
		return new LocalRayHeadConfig(this.stateDir, this.port, workers, gpusPerWorker, pool, this.startTimeout,
				this.stopWait, this.killDriversOnClose);
	}

	public LocalRayHeadConfig withStartTimeout(Duration startTimeout) {
		return new LocalRayHeadConfig(this.stateDir, this.port, this.workers, this.gpusPerWorker, this.pool,
				startTimeout, this.stopWait, this.killDriversOnClose);
	}

	public LocalRayHeadConfig withStopWait(Duration stopWait) {
		return new LocalRayHeadConfig(this.stateDir, this.port, this.workers, this.gpusPerWorker, this.pool,
				this.startTimeout, stopWait, this.killDriversOnClose);
	}

	public LocalRayHeadConfig withKillDriversOnClose(boolean killDriversOnClose) {
		return new LocalRayHeadConfig(this.stateDir, this.port, this.workers, this.gpusPerWorker, this.pool,
				this.startTimeout, this.stopWait, killDriversOnClose);
	}

	private static String text(Map<String, String> env, String name, String fallback) {
		String value = env.get(name);
		return (value == null || value.isBlank()) ? fallback : value.trim();
	}

	private static int integer(Map<String, String> env, String name, int fallback) {
		String value = text(env, name, null);
		try {
			return (value == null) ? fallback : Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'", ex);
		}
	}

	private static Duration seconds(Map<String, String> env, String name, Duration fallback) {
		String value = text(env, name, null);
		try {
			return (value == null) ? fallback : Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be a number of seconds, got '" + value + "'", ex);
		}
	}

}
