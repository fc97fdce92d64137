package io.raylane.submitter;

import java.time.Duration;

import io.raylane.support.retry.BoundedRetry;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the submitter ({@code raylane.submitter.*}). The common
 * {@code raylane.ray.address}, {@code raylane.shared.root} and
 * {@code raylane.kafka.replication-factor} are service-support's {@code RaylaneSettings}.
 *
 * @param dispatchGroup consumer group of {@code raylane.dispatch}
 * @param archiveGroup consumer group of {@code raylane.job-states} (log archival)
 * @param connectTimeout TCP connect timeout to Ray's dashboard
 * @param readTimeout wait for Ray's answer
 * @param retry retries of one Ray call (exponential backoff, bounded)
 * @param redelivery redeliveries of a dispatch command whose handling failed (a stop Ray
 * could not take), after which it is dead-lettered
 * @param wandb Weights & Biases for jobs that enable it
 */
@ConfigurationProperties("raylane.submitter")
public record SubmitterProperties(@DefaultValue("raylane-submitter") String dispatchGroup,
		@DefaultValue("raylane-submitter-archive") String archiveGroup, @DefaultValue("2s") Duration connectTimeout,
		@DefaultValue("30s") Duration readTimeout, @DefaultValue Retry retry, @DefaultValue Redelivery redelivery,
		@DefaultValue Wandb wandb) {

	/**
	 * @param baseUrl {@code raylane.submitter.wandb.base-url}: {@code WANDB_BASE_URL} of
	 * W&B jobs (self-hosted)
	 * @param apiKeyFile {@code raylane.submitter.wandb.api-key-file}: a file holding only
	 * the API key; read at each submission, sent to Ray only
	 */
	public record Wandb(String baseUrl, java.nio.file.Path apiKeyFile) {

		/** Without the base URL, which may carry a token. */
		@Override
		public String toString() {
			return "Wandb[baseUrl=" + ((this.baseUrl != null) ? "(set)" : "null") + ", apiKeyFile=" + this.apiKeyFile
					+ "]";
		}

	}

	/**
	 * @param maxRetries retries after the first attempt
	 * @param delay first backoff
	 * @param multiplier backoff growth
	 * @param maxDelay longest backoff
	 */
	public record Retry(@DefaultValue("4") long maxRetries, @DefaultValue("500ms") Duration delay,
			@DefaultValue("2.0") double multiplier, @DefaultValue("5s") Duration maxDelay) implements BoundedRetry {
	}

	/**
	 * @param attempts redeliveries before dead-lettering
	 * @param interval pause between redeliveries
	 */
	public record Redelivery(@DefaultValue("2") long attempts, @DefaultValue("5s") Duration interval) {
	}

}
