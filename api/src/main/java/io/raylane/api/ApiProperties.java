package io.raylane.api;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The API's own configuration (prefix {@code raylane}); environment variables bind by
 * relaxed binding, e.g. {@code RAYLANE_USERS_GENERATE_DEV_USERS}. The common
 * {@code raylane.shared.root}, {@code raylane.data.dir}, {@code raylane.ray.address},
 * {@code raylane.users.file} and {@code raylane.kafka.replication-factor}
 * ({@code RAYLANE_SHARED_ROOT}, {@code RAYLANE_DATA_DIR}, {@code RAYLANE_RAY_ADDRESS},
 * {@code RAYLANE_USERS_FILE}) are service-support's {@code RaylaneSettings}.
 *
 * @param ray the Ray head, asked only for live driver logs
 * @param users who may call the API
 * @param kafka producer acknowledgement
 * @param api how much history the API keeps in memory
 */
@ConfigurationProperties("raylane")
public record ApiProperties(@DefaultValue Ray ray, @DefaultValue Users users, @DefaultValue Kafka kafka,
		@DefaultValue Api api) {

	@ConstructorBinding
	public ApiProperties {
	}

	/** With the default history limits. */
	public ApiProperties(Ray ray, Users users, Kafka kafka) {
		this(ray, users, kafka, new Api(Api.DEFAULT_MAX, Api.DEFAULT_MAX));
	}

	/**
	 * Issue 12: no in-memory read model grows without bound with history.
	 *
	 * @param maxFinishedJobs {@code raylane.api.max-finished-jobs}: views of ended jobs
	 * kept (the oldest ended is dropped first; it then answers 404 and is no longer
	 * listed, while its record stays on {@code raylane.job-states} and its job directory
	 * stays)
	 * @param maxUsageJobs {@code raylane.api.max-usage-jobs}: jobs whose accounting
	 * records {@code /v1/usage} keeps (the job with the oldest last record is dropped
	 * first; the answer then says since when it is complete)
	 */
	public record Api(@DefaultValue("100000") int maxFinishedJobs, @DefaultValue("100000") int maxUsageJobs) {

		public static final int DEFAULT_MAX = 100_000;

		public Api {
			if (maxFinishedJobs < 1 || maxUsageJobs < 1) {
				throw new IllegalArgumentException(
						"raylane.api.max-finished-jobs and raylane.api.max-usage-jobs must be at least 1");
			}
		}

	}

	/**
	 * @param connectTimeout {@code raylane.ray.connect-timeout}
	 * @param readTimeout {@code raylane.ray.read-timeout}
	 */
	public record Ray(@DefaultValue("2s") Duration connectTimeout, @DefaultValue("10s") Duration readTimeout) {
	}

	/**
	 * @param generateDevUsers {@code raylane.users.generate-dev-users}: without a users
	 * file, create alice, bob (user) and admin (admin) with tokens kept in
	 * {@code <raylane.data.dir>/dev-tokens.txt}; local stack only
	 */
	public record Users(boolean generateDevUsers) {
	}

	/**
	 * @param sendTimeout {@code raylane.kafka.send-timeout}: how long a request waits for
	 * the broker's ack
	 */
	public record Kafka(@DefaultValue("30s") Duration sendTimeout) {
	}

}
