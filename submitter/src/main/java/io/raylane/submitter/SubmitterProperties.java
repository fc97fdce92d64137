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
 * @param jobSecrets who owns the {@code secrets/} of each job directory
 * @param archiveRetry how a driver log that could not be archived is tried again
 * @param parallelSubmissions how many dispatch commands of different jobs are carried out
 * at once (job directory, Ray call, result), over all partitions (issue 17: one job's Ray
 * call must not hold up the others)
 */
@ConfigurationProperties("raylane.submitter")
public record SubmitterProperties(@DefaultValue("raylane-submitter") String dispatchGroup,
		@DefaultValue("raylane-submitter-archive") String archiveGroup, @DefaultValue("2s") Duration connectTimeout,
		@DefaultValue("30s") Duration readTimeout, @DefaultValue Retry retry, @DefaultValue Redelivery redelivery,
		@DefaultValue Wandb wandb, @DefaultValue JobSecrets jobSecrets, @DefaultValue ArchiveRetry archiveRetry,
		@DefaultValue("8") int parallelSubmissions) {

	/**
	 * Issue 12: a driver log that could not be archived is tried again.
	 *
	 * @param attempts {@code raylane.submitter.archive-retry.attempts}: attempts in all,
	 * the first included
	 * @param delay the wait before the second; doubled after each failure
	 * @param maxDelay the longest wait between two attempts
	 */
	public record ArchiveRetry(@DefaultValue("8") int attempts, @DefaultValue("5s") Duration delay,
			@DefaultValue("5m") Duration maxDelay) {
	}

	/**
	 * @param baseUrl {@code raylane.submitter.wandb.base-url}: {@code WANDB_BASE_URL} of
	 * W&B jobs (self-hosted)
	 * @param apiKeyFile {@code raylane.submitter.wandb.api-key-file}: a file holding only
	 * the API key used for users without their own; read at each submission, written to
	 * the job's secrets only
	 * @param userKeyDir {@code raylane.submitter.wandb.user-key-dir}: each user's own key
	 * in {@code <dir>/<user>/wandb_api_key}; default {@code <raylane.data.dir>/secrets}
	 */
	public record Wandb(String baseUrl, java.nio.file.Path apiKeyFile, java.nio.file.Path userKeyDir) {

		/** Without the base URL, which may carry a token. */
		@Override
		public String toString() {
			return "Wandb[baseUrl=" + ((this.baseUrl != null) ? "(set)" : "null") + ", apiKeyFile=" + this.apiKeyFile
					+ ", userKeyDir=" + this.userKeyDir + "]";
		}

	}

	/**
	 * @param owner {@code raylane.submitter.job-secrets.owner}: the OS user Ray's workers
	 * run jobs as, given each job's {@code secrets/} (needs root or CAP_CHOWN); unset =
	 * the submitter's own user, which must then be that user
	 * @param group {@code raylane.submitter.job-secrets.group}: a group of the submitter
	 * and the jobs' user only, which may read them too (0750/0640 instead of 0700/0600)
	 */
	public record JobSecrets(String owner, String group) {
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
