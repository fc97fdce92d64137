package io.raylane.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.raylane.topics.TopicPolicy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The settings every service shares (prefix {@code raylane}), bound once here instead of
 * by each service's own {@code @Value}s. Environment variables bind by relaxed binding,
 * with the names of the README's configuration table: {@code RAYLANE_SHARED_ROOT},
 * {@code RAYLANE_DATA_DIR}, {@code RAYLANE_RAY_ADDRESS},
 * {@code RAYLANE_RAY_METRICS_PORT}, {@code RAYLANE_KAFKA_REPLICATION_FACTOR},
 * {@code RAYLANE_KAFKA_MIN_INSYNC_REPLICAS}, {@code RAYLANE_USERS_FILE},
 * {@code RAYLANE_RAY_AUTH_TOKEN}, {@code RAYLANE_RAY_AUTH_TOKEN_FILE}. A service's own
 * settings live in its own record ({@code raylane.<service>.*}).
 *
 * @param shared the shared storage every node mounts
 * @param data this service's local data
 * @param ray the Ray head
 * @param kafka topic creation
 * @param users who may call the API, and their GPU quotas
 * @param jobs limits of every JobSpec, the same for the API and the scheduler
 */
@ConfigurationProperties("raylane")
public record RaylaneSettings(@DefaultValue Shared shared, @DefaultValue Data data, @DefaultValue Ray ray,
		@DefaultValue Kafka kafka, @DefaultValue Users users, @DefaultValue Jobs jobs) {

	@ConstructorBinding
	public RaylaneSettings {
	}

	public RaylaneSettings(Shared shared, Data data, Ray ray, Kafka kafka, Users users) {
		this(shared, data, ray, kafka, users, new Jobs(null));
	}

	/**
	 * @param root {@code raylane.shared.root}: jobs live in {@code <root>/jobs/<job id>}
	 * @param readOnlyRoots {@code raylane.shared.read-only-roots}
	 * ({@code RAYLANE_SHARED_READ_ONLY_ROOTS}, comma-separated absolute paths): folders
	 * every user's model and data paths may name besides {@code common/} and their own
	 * {@code users/<user>/} (e.g. a read-only mount of public datasets); none by default
	 */
	public record Shared(@DefaultValue("./.raylane/shared") Path root, List<Path> readOnlyRoots) {

		@ConstructorBinding
		public Shared {
			readOnlyRoots = (readOnlyRoots != null) ? List.copyOf(readOnlyRoots) : List.of();
		}

		public Shared(Path root) {
			this(root, null);
		}

		/** The absolute job directory of {@code jobId}, as recorded in JobViews. */
		public Path jobDir(String jobId) {
			return this.root.toAbsolutePath().normalize().resolve("jobs").resolve(jobId);
		}

	}

	/**
	 * @param dir {@code raylane.data.dir}: the scheduler's state stores
	 * ({@code <dir>/streams}), the local stack's {@code dev-tokens.txt}
	 */
	public record Data(@DefaultValue("./.raylane/data") Path dir) {
	}

	/**
	 * @param address {@code raylane.ray.address}: the Ray dashboard, e.g.
	 * {@code http://127.0.0.1:8265}
	 * @param authToken {@code raylane.ray.auth-token}: the cluster's token when Ray runs
	 * with {@code RAY_AUTH_MODE=token} (Ray ≥ 2.52); sent on every dashboard call and
	 * handed to {@code ray start} on provisioned nodes
	 * @param authTokenFile {@code raylane.ray.auth-token-file}: a file holding only that
	 * token (used when {@code authToken} is unset)
	 * @param metricsPort {@code raylane.ray.metrics-port}: the port of every Ray node's
	 * metrics endpoint. The node-agent starts each node with
	 * {@code --metrics-export-port=<it>} and the observer scrapes
	 * {@code http://<node ip>:<it>/metrics}; one setting, so the two cannot disagree
	 * (Ray's own default is a random port no scraper can know).
	 */
	public record Ray(@DefaultValue("http://127.0.0.1:8265") String address, String authToken, Path authTokenFile,
			@DefaultValue("" + DEFAULT_METRICS_PORT) int metricsPort) {

		/**
		 * The metrics port when none is configured (ray-cluster/cluster.sh's; 8080 is the
		 * API's).
		 */
		public static final int DEFAULT_METRICS_PORT = 8090;

		@ConstructorBinding
		public Ray {
			if (metricsPort < 1 || metricsPort > 65535) {
				throw new IllegalArgumentException(
						"raylane.ray.metrics-port (RAYLANE_RAY_METRICS_PORT) must be a port between 1 and 65535, not "
								+ metricsPort);
			}
		}

		/** Nodes exporting metrics on {@link #DEFAULT_METRICS_PORT}. */
		public Ray(String address, String authToken, Path authTokenFile) {
			this(address, authToken, authTokenFile, DEFAULT_METRICS_PORT);
		}

		/**
		 * The token to send, read from the file when only the file is configured; null
		 * when Ray runs without token authentication. Read once by each service at start:
		 * a rotated token needs a restart, as it does on Ray's own nodes.
		 * @throws IllegalStateException when the file cannot be read, is empty, or the
		 * token holds characters no HTTP header can carry (the message never quotes it)
		 */
		public String resolvedAuthToken() {
			String token = this.authToken;
			String source = "raylane.ray.auth-token";
			if (token == null || token.isBlank()) {
				if (this.authTokenFile == null || this.authTokenFile.toString().isBlank()) {
					return null;
				}
				source = "raylane.ray.auth-token-file " + this.authTokenFile;
				try {
					token = Files.readString(this.authTokenFile, StandardCharsets.UTF_8);
				}
				catch (IOException ex) {
					throw new UncheckedIOException("cannot read the Ray token file (" + source + ")", ex);
				}
			}
			// a file written by `echo` ends with a newline: Ray strips it too
			token = token.strip();
			if (token.isEmpty()) {
				throw new IllegalStateException("the Ray token (" + source + ") is empty");
			}
			if (!token.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
				throw new IllegalStateException(
						"the Ray token (" + source + ") must be printable ASCII without spaces");
			}
			return token;
		}

		/** Without the token. */
		@Override
		public String toString() {
			return "Ray[address=" + this.address + ", authToken=" + ((this.authToken != null) ? "***" : "null")
					+ ", authTokenFile=" + this.authTokenFile + ", metricsPort=" + this.metricsPort + "]";
		}

	}

	/**
	 * How durable the topics Raylane creates are (issue 12). The defaults are a
	 * production cluster's, so a forgotten setting never leaves a single copy of the
	 * system of record; a single-broker development cluster sets
	 * {@code RAYLANE_KAFKA_REPLICATION_FACTOR=1} (the all-in-one does so for its embedded
	 * broker).
	 *
	 * @param replicationFactor {@code raylane.kafka.replication-factor}
	 * ({@code RAYLANE_KAFKA_REPLICATION_FACTOR}, default 3): replicas of every topic
	 * created at start-up, the scheduler's internal topics included
	 * @param minInsyncReplicas {@code raylane.kafka.min-insync-replicas}
	 * ({@code RAYLANE_KAFKA_MIN_INSYNC_REPLICAS}): their {@code min.insync.replicas};
	 * unset, one less than the replication factor, between 1 and 2 (2 for 3 replicas)
	 */
	public record Kafka(@DefaultValue("3") short replicationFactor, Short minInsyncReplicas) {

		@ConstructorBinding
		public Kafka {
			// fails start-up on a combination no acks=all write could meet
			policy(replicationFactor, minInsyncReplicas);
		}

		public Kafka(short replicationFactor) {
			this(replicationFactor, null);
		}

		/** Replicas and min ISR of the topics a service creates. */
		public TopicPolicy topicPolicy() {
			return policy(this.replicationFactor, this.minInsyncReplicas);
		}

		private static TopicPolicy policy(short replicationFactor, Short minInsyncReplicas) {
			return (minInsyncReplicas != null) ? new TopicPolicy(replicationFactor, minInsyncReplicas)
					: TopicPolicy.of(replicationFactor);
		}

	}

	/**
	 * @param file {@code raylane.users.file}: the users YAML file
	 * ({@link io.raylane.support.users.UsersFile}); the API requires it unless dev users
	 * are generated, the scheduler reads its quotas when it is there
	 */
	public record Users(Path file) {

		public boolean hasFile() {
			return this.file != null && !this.file.toString().isBlank();
		}

	}

	/**
	 * @param maxTimeout {@code raylane.jobs.max-timeout}
	 * ({@code RAYLANE_JOBS_MAX_TIMEOUT}, default 30 days): the longest {@code timeout} a
	 * JobSpec may ask for; the API answers 400 beyond it and the scheduler rejects such a
	 * SubmitJob from any other producer
	 * @param maxActivePerUser {@code raylane.jobs.max-active-per-user}
	 * ({@code RAYLANE_JOBS_MAX_ACTIVE_PER_USER}, default 1000): jobs a user without
	 * {@code max_jobs} in the users file may have queued or running at once; the API
	 * answers 429 beyond it and the scheduler rejects a SubmitJob beyond it (issue 12)
	 */
	public record Jobs(@DefaultValue("30d") Duration maxTimeout, @DefaultValue("1000") int maxActivePerUser) {

		/** The default cap of jobs queued or running per user. */
		public static final int DEFAULT_MAX_ACTIVE_PER_USER = 1000;

		@ConstructorBinding
		public Jobs {
			maxTimeout = (maxTimeout != null) ? maxTimeout : Duration.ofDays(30);
			if (maxTimeout.isZero() || maxTimeout.isNegative()) {
				throw new IllegalArgumentException("raylane.jobs.max-timeout must be positive: " + maxTimeout);
			}
			if (maxActivePerUser < 1) {
				throw new IllegalArgumentException(
						"raylane.jobs.max-active-per-user must be at least 1: " + maxActivePerUser);
			}
		}

		public Jobs(Duration maxTimeout) {
			this(maxTimeout, DEFAULT_MAX_ACTIVE_PER_USER);
		}

	}

}
