package io.raylane.raystandin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Configuration of the local Ray-compatible head.
 *
 * @param stateDir where the head keeps its job table, driver logs and exit codes
 * ({@code RAYLANE_DATA_DIR/local-ray})
 * @param port dashboard HTTP port on 127.0.0.1; 0 picks a free port
 * @param workers simulated workers joined at start (IPs 127.0.0.2, 127.0.0.3, ...)
 * @param gpusPerWorker GPUs of each simulated worker
 * @param pool the Raylane pool of the simulated workers ({@code raylane-pool-<pool>}
 * resource)
 * @param startTimeout a job still PENDING after this fails
 * ({@code RAY_JOB_START_TIMEOUT_SECONDS}, default 900 s)
 * @param stopWait grace between SIGTERM and SIGKILL on stop
 * ({@code RAY_JOB_STOP_WAIT_TIME_S}, default 3 s)
 * @param killDriversOnClose whether {@link LocalRayHead#close()} kills the running
 * drivers (false simulates a crash)
 * @param metricsPort the port of each worker's metrics endpoint
 * {@code http://<node ip>:<port>/metrics} (Ray's {@code --metrics-export-port}); 0 picks
 * one that is free on every configured worker IP
 * @param authToken the token every dashboard call must carry, as a Ray head started with
 * {@code RAY_AUTH_MODE=token} wants it (401/403 otherwise); null = no token
 * authentication
 * @param isolation where drivers work and as whom they run ({@link DriverIsolation}; none
 * by default)
 */
public record LocalRayHeadConfig(Path stateDir, int port, int workers, int gpusPerWorker, String pool,
		Duration startTimeout, Duration stopWait, boolean killDriversOnClose, int metricsPort, String authToken,
		DriverIsolation isolation) {

	public static final int DEFAULT_PORT = 8265;

	/**
	 * The all-in-one's metrics port (RAYLANE_RAY_METRICS_PORT): not 8080, which the API
	 * binds on every address (0.0.0.0) so that no node IP could bind it, and clear of the
	 * services' 9201-9204 and Prometheus' 9090.
	 */
	public static final int DEFAULT_METRICS_PORT = 9250;

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
		if (metricsPort < 0 || metricsPort > 65535) {
			throw new IllegalArgumentException("metricsPort must be between 0 and 65535");
		}
		authToken = (authToken != null && !authToken.isBlank()) ? authToken.strip() : null;
		isolation = (isolation != null) ? isolation : DriverIsolation.NONE;
	}

	/** The configuration with drivers in the head's job folders, as its own user. */
	public LocalRayHeadConfig(Path stateDir, int port, int workers, int gpusPerWorker, String pool,
			Duration startTimeout, Duration stopWait, boolean killDriversOnClose, int metricsPort, String authToken) {
		this(stateDir, port, workers, gpusPerWorker, pool, startTimeout, stopWait, killDriversOnClose, metricsPort,
				authToken, null);
	}

	/** The configuration without token authentication. */
	public LocalRayHeadConfig(Path stateDir, int port, int workers, int gpusPerWorker, String pool,
			Duration startTimeout, Duration stopWait, boolean killDriversOnClose, int metricsPort) {
		this(stateDir, port, workers, gpusPerWorker, pool, startTimeout, stopWait, killDriversOnClose, metricsPort,
				null);
	}

	/** The configuration without a metrics port (a free one is picked). */
	public LocalRayHeadConfig(Path stateDir, int port, int workers, int gpusPerWorker, String pool,
			Duration startTimeout, Duration stopWait, boolean killDriversOnClose) {
		this(stateDir, port, workers, gpusPerWorker, pool, startTimeout, stopWait, killDriversOnClose, 0);
	}

	/**
	 * Port 8265, two workers of pool {@code default} with 4 GPUs each, Ray's default
	 * timeouts, kill on close, and metrics on a free port (so that tests never clash;
	 * {@link #fromEnvironment} uses {@link #DEFAULT_METRICS_PORT}).
	 */
	public static LocalRayHeadConfig defaults(Path stateDir) {
		return new LocalRayHeadConfig(stateDir, DEFAULT_PORT, 2, 4, "default", Duration.ofSeconds(900),
				Duration.ofSeconds(3), true, 0);
	}

	/**
	 * From environment variables: RAYLANE_DATA_DIR (state in its {@code local-ray}
	 * sub-directory, default ./.raylane/data), RAYLANE_LOCAL_RAY_PORT,
	 * RAYLANE_LOCAL_WORKERS, RAYLANE_LOCAL_WORKER_GPUS, RAYLANE_LOCAL_POOL,
	 * RAY_JOB_START_TIMEOUT_SECONDS, RAY_JOB_STOP_WAIT_TIME_S, RAYLANE_RAY_METRICS_PORT
	 * (default {@value #DEFAULT_METRICS_PORT}), RAYLANE_RAY_AUTH_TOKEN (default none).
	 */
	public static LocalRayHeadConfig fromEnvironment(Map<String, String> env) {
		Path dataDir = Path.of(text(env, "RAYLANE_DATA_DIR", "./.raylane/data"));
		LocalRayHeadConfig d = defaults(dataDir.resolve(STATE_DIR_NAME));
		return new LocalRayHeadConfig(d.stateDir(), integer(env, "RAYLANE_LOCAL_RAY_PORT", d.port()),
				integer(env, "RAYLANE_LOCAL_WORKERS", d.workers()),
				integer(env, "RAYLANE_LOCAL_WORKER_GPUS", d.gpusPerWorker()), text(env, "RAYLANE_LOCAL_POOL", d.pool()),
				seconds(env, "RAY_JOB_START_TIMEOUT_SECONDS", d.startTimeout()),
				seconds(env, "RAY_JOB_STOP_WAIT_TIME_S", d.stopWait()), true,
				integer(env, "RAYLANE_RAY_METRICS_PORT", DEFAULT_METRICS_PORT),
				text(env, "RAYLANE_RAY_AUTH_TOKEN", null));
	}

	public LocalRayHeadConfig withPort(int port) {
		return new LocalRayHeadConfig(this.stateDir, port, this.workers, this.gpusPerWorker, this.pool,
				this.startTimeout, this.stopWait, this.killDriversOnClose, this.metricsPort, this.authToken,
				this.isolation);
	}

	public LocalRayHeadConfig withWorkers(int workers, int gpusPerWorker, String pool) {
		return new LocalRayHeadConfig(this.stateDir, this.port, workers, gpusPerWorker, pool, this.startTimeout,
				this.stopWait, this.killDriversOnClose, this.metricsPort, this.authToken, this.isolation);
	}

	public LocalRayHeadConfig withStartTimeout(Duration startTimeout) {
		return new LocalRayHeadConfig(this.stateDir, this.port, this.workers, this.gpusPerWorker, this.pool,
				startTimeout, this.stopWait, this.killDriversOnClose, this.metricsPort, this.authToken, this.isolation);
	}

	public LocalRayHeadConfig withStopWait(Duration stopWait) {
		return new LocalRayHeadConfig(this.stateDir, this.port, this.workers, this.gpusPerWorker, this.pool,
				this.startTimeout, stopWait, this.killDriversOnClose, this.metricsPort, this.authToken, this.isolation);
	}

	public LocalRayHeadConfig withKillDriversOnClose(boolean killDriversOnClose) {
		return new LocalRayHeadConfig(this.stateDir, this.port, this.workers, this.gpusPerWorker, this.pool,
				this.startTimeout, this.stopWait, killDriversOnClose, this.metricsPort, this.authToken, this.isolation);
	}

	public LocalRayHeadConfig withMetricsPort(int metricsPort) {
		return new LocalRayHeadConfig(this.stateDir, this.port, this.workers, this.gpusPerWorker, this.pool,
				this.startTimeout, this.stopWait, this.killDriversOnClose, metricsPort, this.authToken, this.isolation);
	}

	/**
	 * The same head requiring {@code authToken} on every dashboard call (null: none).
	 */
	public LocalRayHeadConfig withAuthToken(String authToken) {
		return new LocalRayHeadConfig(this.stateDir, this.port, this.workers, this.gpusPerWorker, this.pool,
				this.startTimeout, this.stopWait, this.killDriversOnClose, this.metricsPort, authToken, this.isolation);
	}

	/**
	 * The same head with its drivers isolated from it (issue 12): own working directory
	 * and HOME, and another OS user when one is given.
	 */
	public LocalRayHeadConfig withIsolation(DriverIsolation next) {
		return new LocalRayHeadConfig(this.stateDir, this.port, this.workers, this.gpusPerWorker, this.pool,
				this.startTimeout, this.stopWait, this.killDriversOnClose, this.metricsPort, this.authToken, next);
	}

	/** Without the token. */
	@Override
	public String toString() {
		return "LocalRayHeadConfig[stateDir=" + this.stateDir + ", port=" + this.port + ", workers=" + this.workers
				+ ", gpusPerWorker=" + this.gpusPerWorker + ", pool=" + this.pool + ", startTimeout="
				+ this.startTimeout + ", stopWait=" + this.stopWait + ", killDriversOnClose=" + this.killDriversOnClose
				+ ", metricsPort=" + this.metricsPort + ", authToken=" + ((this.authToken != null) ? "***" : "null")
				+ ", isolation=" + this.isolation + "]";
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
