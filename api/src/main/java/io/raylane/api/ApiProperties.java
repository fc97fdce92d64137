package io.raylane.api;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The API's configuration (prefix {@code raylane}); environment variables bind by relaxed binding, e.g.
 * {@code RAYLANE_SHARED_ROOT}, {@code RAYLANE_DATA_DIR}, {@code RAYLANE_RAY_ADDRESS}, {@code RAYLANE_USERS_FILE},
 * {@code RAYLANE_USERS_GENERATE_DEV_USERS}.
 *
 * @param shared the shared storage every node mounts
 * @param data this service's local data
 * @param ray the Ray head, asked only for live driver logs
 * @param users who may call the API
 * @param kafka topic creation and producer acknowledgement
 */
@ConfigurationProperties("raylane")
public record ApiProperties(@DefaultValue Shared shared, @DefaultValue Data data, @DefaultValue Ray ray,
		@DefaultValue Users users, @DefaultValue Kafka kafka) {

	/** @param root {@code raylane.shared.root}: jobs live in {@code <root>/jobs/<job id>} */
	public record Shared(@DefaultValue("./.raylane/shared") Path root) {

		/** The absolute job directory of {@code jobId}, as recorded in JobViews. */
		public Path jobDir(String jobId) {
			return this.root.toAbsolutePath().normalize().resolve("jobs").resolve(jobId);
		}

	}

	/** @param dir {@code raylane.data.dir}: holds {@code dev-tokens.txt} for the local stack */
	public record Data(@DefaultValue("./.raylane/data") Path dir) {
	}

	/**
	 * @param address {@code raylane.ray.address}: the Ray dashboard, e.g. {@code http://127.0.0.1:8265}
	 * @param connectTimeout {@code raylane.ray.connect-timeout}
	 * @param readTimeout {@code raylane.ray.read-timeout}
	 */
	public record Ray(@DefaultValue("http://127.0.0.1:8265") String address,
			@DefaultValue("2s") Duration connectTimeout, @DefaultValue("10s") Duration readTimeout) {
	}

	/**
	 * @param file {@code raylane.users.file}: the users YAML file (see {@code UsersLoader}); required unless
	 * dev users are generated
	 * @param generateDevUsers {@code raylane.users.generate-dev-users}: without a users file, create alice, bob
	 * (user) and admin (admin) with tokens kept in {@code <raylane.data.dir>/dev-tokens.txt}; local stack only
	 */
	public record Users(Path file, boolean generateDevUsers) {

		public boolean hasFile() {
			return this.file != null && !this.file.toString().isBlank();
		}

	}

	/**
	 * @param replicationFactor {@code raylane.kafka.replication-factor}: for topics created at start-up
	 * @param sendTimeout {@code raylane.kafka.send-timeout}: how long a request waits for the broker's ack
	 */
	public record Kafka(@DefaultValue("1") short replicationFactor, @DefaultValue("30s") Duration sendTimeout) {
	}

}
