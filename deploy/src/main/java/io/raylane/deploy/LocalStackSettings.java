package io.raylane.deploy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the all-in-one launcher needs to know, read from the environment (the README's configuration
 * table). Pure: {@link #fromEnvironment(Map)} takes the environment as a map so it can be tested.
 *
 * @param apiPort SERVER_PORT (default 8080; 0 picks a free port)
 * @param kafkaPort RAYLANE_KAFKA_PORT, the embedded broker's listener on 127.0.0.1 (default 9092)
 * @param kafkaBootstrap RAYLANE_KAFKA_BOOTSTRAP; empty → start the embedded broker
 * @param rayAddress RAYLANE_RAY_ADDRESS; empty → start the local Ray-compatible head
 * @param localRayPort RAYLANE_LOCAL_RAY_PORT, the local head's dashboard port (default 8265)
 * @param localWorkers RAYLANE_LOCAL_WORKERS, simulated workers of the local head (default 2)
 * @param localWorkerGpus RAYLANE_LOCAL_WORKER_GPUS, GPUs of each simulated worker (default 4)
 * @param sharedRoot RAYLANE_SHARED_ROOT (default ./.raylane/shared)
 * @param dataDir RAYLANE_DATA_DIR: the embedded broker's log, state stores, the local head (default ./.raylane/data)
 * @param usersFile RAYLANE_USERS_FILE; empty → dev users with random tokens
 */
public record LocalStackSettings(int apiPort, int kafkaPort, Optional<String> kafkaBootstrap,
		Optional<String> rayAddress, int localRayPort, int localWorkers, int localWorkerGpus, Path sharedRoot,
		Path dataDir, Optional<Path> usersFile) {

	public static LocalStackSettings fromEnvironment(Map<String, String> env) {
		return new LocalStackSettings(intOf(env, "SERVER_PORT", 8080), intOf(env, "RAYLANE_KAFKA_PORT", 9092),
				textOf(env, "RAYLANE_KAFKA_BOOTSTRAP"), textOf(env, "RAYLANE_RAY_ADDRESS"),
				intOf(env, "RAYLANE_LOCAL_RAY_PORT", 8265), intOf(env, "RAYLANE_LOCAL_WORKERS", 2),
				intOf(env, "RAYLANE_LOCAL_WORKER_GPUS", 4),
				pathOf(env, "RAYLANE_SHARED_ROOT", "./.raylane/shared"), pathOf(env, "RAYLANE_DATA_DIR", "./.raylane/data"),
				textOf(env, "RAYLANE_USERS_FILE").map(Path::of));
	}

	/** The same settings for a test: free ports everywhere, everything under {@code root}. */
	public static LocalStackSettings forTest(Path root) {
		return new LocalStackSettings(0, 0, Optional.empty(), Optional.empty(), 0, 2, 4, root.resolve("shared"),
				root.resolve("data"), Optional.empty());
	}

	public LocalStackSettings withApiPort(int port) {
		return new LocalStackSettings(port, this.kafkaPort, this.kafkaBootstrap, this.rayAddress, this.localRayPort,
				this.localWorkers, this.localWorkerGpus, this.sharedRoot, this.dataDir, this.usersFile);
	}

	private static Optional<String> textOf(Map<String, String> env, String name) {
		String value = env.get(name);
		return (value == null || value.isBlank()) ? Optional.empty() : Optional.of(value.trim());
	}

	private static int intOf(Map<String, String> env, String name, int fallback) {
		Optional<String> value = textOf(env, name);
		if (value.isEmpty()) {
			return fallback;
		}
		try {
			return Integer.parseInt(value.get());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be a number, got '" + value.get() + "'", ex);
		}
	}

	private static Path pathOf(Map<String, String> env, String name, String fallback) {
		return Path.of(textOf(env, name).orElse(fallback)).toAbsolutePath().normalize();
	}

}
