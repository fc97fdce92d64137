package io.raylane.submitter;

import java.time.Clock;
import java.util.List;

import io.raylane.submitter.archive.LogArchiveRetries;
import io.raylane.submitter.archive.LogArchiver;
import io.raylane.submitter.archive.RayDeletionSweep;
import io.raylane.submitter.dispatch.DispatchHandler;
import io.raylane.submitter.dispatch.WandbKeys;
import io.raylane.submitter.dispatch.WandbSecret;
import io.raylane.submitter.jobdir.JobDirectories;
import io.raylane.submitter.ray.HttpRayJobsClient;
import io.raylane.submitter.ray.RayCallMetrics;
import io.raylane.rayclient.RayHttp;
import io.raylane.submitter.ray.RayJobsClient;
import io.raylane.support.RaylaneSettings;
import io.raylane.support.kafka.DeadLetterPublisher;
import io.raylane.support.kafka.TopicsAtStartupConfiguration;
import io.raylane.topics.deadletter.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.web.client.RestClient;

/**
 * Wires the submitter: Ray's HTTP client with its retry policy, the job directories, the
 * dispatch handler, the log archiver, dead letters, and the listeners' error handler.
 * Kafka's consumer/producer settings (bytes, read_committed) are in
 * {@code raylane-submitter.yaml}.
 * <p>
 * Delivery is at-least-once with idempotent effects, not transactional: a redelivered
 * SubmitToRay reaches Ray with the same submission id and Ray refuses to run it twice
 * (its "already exists" answer counts as submitted), a redelivered stop is harmless, and
 * the scheduler ignores a repeated result. A Kafka transaction per record cost ~100 ms of
 * commit round trips on a busy machine and capped submissions at ~10/s; offsets now
 * commit once per poll, after every result of the batch was acknowledged by the broker.
 * <p>
 * The clock, the common settings and the topics come from service-support.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SubmitterProperties.class)
@Import(TopicsAtStartupConfiguration.class)
@org.springframework.scheduling.annotation.EnableScheduling
class SubmitterConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SubmitterConfiguration.class);

	/** Name recorded in dead letters. */
	static final String CONSUMER = "raylane-submitter";

	/**
	 * W&amp;B's base URL and where each user's API key is, for the jobs that enable it.
	 */
	@Bean
	WandbSecret wandbSecret(SubmitterProperties properties, RaylaneSettings settings) {
		SubmitterProperties.Wandb wandb = properties.wandb();
		java.nio.file.Path userKeyDir = (wandb.userKeyDir() != null) ? wandb.userKeyDir()
				: settings.data().dir().resolve("secrets");
		return new WandbSecret(wandb.baseUrl(), new WandbKeys(wandb.apiKeyFile(), userKeyDir,
				settings.users().hasFile() ? settings.users().file() : null));
	}

	@Bean
	RetryTemplate rayRetryTemplate(SubmitterProperties properties, WandbSecret wandb) {
		return properties.retry()
			.template(List.of(HttpRayJobsClient.retryableFailures()),
					// Ray's error text may quote the submission, W&B key included
					(call, failure) -> log.warn("Ray call '{}' failed, retrying: {}", call,
							wandb.scrub(DeadLetter.reasonOf(failure))));
	}

	@Bean
	RayJobsClient rayJobsClient(ObjectProvider<RestClient.Builder> builders, RaylaneSettings settings,
			SubmitterProperties properties, RetryTemplate rayRetryTemplate,
			ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
		RestClient rest = RayHttp.restClient(builders.getIfAvailable(RestClient::builder), settings.ray().address(),
				settings.ray().resolvedAuthToken(), properties.connectTimeout(), properties.readTimeout());
		return new HttpRayJobsClient(rest, rayRetryTemplate, new RayCallMetrics(
				meters.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new)));
	}

	@Bean
	JobDirectories jobDirectories(RaylaneSettings settings, SubmitterProperties properties) {
		return new JobDirectories(settings.shared().root(), settings.ray().address(),
				new JobDirectories.SecretsAccess(properties.jobSecrets().owner(), properties.jobSecrets().group()));
	}

	/**
	 * Where dispatch commands of different jobs are carried out at once (issue 17),
	 * {@code raylane.submitter.parallel-submissions} threads shared by every partition's
	 * consumer.
	 */
	@Bean(destroyMethod = "shutdownNow")
	java.util.concurrent.ExecutorService dispatchPool(SubmitterProperties properties) {
		if (properties.parallelSubmissions() < 1) {
			throw new IllegalArgumentException(
					"raylane.submitter.parallel-submissions must be at least 1: " + properties.parallelSubmissions());
		}
		java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
		return java.util.concurrent.Executors.newFixedThreadPool(properties.parallelSubmissions(), (task) -> {
			Thread thread = new Thread(task, "raylane-submitter-dispatch-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	@Bean
	DispatchHandler dispatchHandler(JobDirectories jobDirectories, RayJobsClient rayJobsClient, Clock clock,
			WandbSecret wandbSecret) {
		return new DispatchHandler(jobDirectories, rayJobsClient, clock, wandbSecret);
	}

	@Bean
	LogArchiver logArchiver(RayJobsClient rayJobsClient, JobDirectories jobDirectories,
			RayDeletionSweep rayDeletionSweep) {
		return new LogArchiver(rayJobsClient, jobDirectories, rayDeletionSweep::deleted);
	}

	/**
	 * Deletes again the jobs Ray re-creates after their deletion: one round every 5 s on
	 * the archive's thread, which calls Ray (one job list) only while deletions are
	 * watched.
	 */
	@Bean
	RayDeletionSweep rayDeletionSweep(RayJobsClient rayJobsClient, Clock clock,
			java.util.concurrent.ScheduledExecutorService archiveRetryExecutor) {
		RayDeletionSweep sweep = new RayDeletionSweep(rayJobsClient, clock);
		long period = RayDeletionSweep.PERIOD.toMillis();
		archiveRetryExecutor.scheduleWithFixedDelay(sweep::run, period, period,
				java.util.concurrent.TimeUnit.MILLISECONDS);
		return sweep;
	}

	/**
	 * Issue 12: a failed log archive is tried again, with back-off, on one daemon thread,
	 * which also runs the sweep of deleted jobs.
	 */
	@Bean(destroyMethod = "shutdownNow")
	java.util.concurrent.ScheduledExecutorService archiveRetryExecutor() {
		return java.util.concurrent.Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "raylane-archive-retry");
			thread.setDaemon(true);
			return thread;
		});
	}

	@Bean
	LogArchiveRetries logArchiveRetries(LogArchiver logArchiver, SubmitterProperties properties,
			java.util.concurrent.ScheduledExecutorService archiveRetryExecutor,
			ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
		SubmitterProperties.ArchiveRetry retry = properties.archiveRetry();
		return new LogArchiveRetries(logArchiver,
				new LogArchiveRetries.Policy(retry.attempts(), retry.delay(), retry.maxDelay()),
				(delay, task) -> archiveRetryExecutor.schedule(task, delay.toMillis(),
						java.util.concurrent.TimeUnit.MILLISECONDS),
				meters.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new));
	}

	/** Checkpoint retention of verl jobs (the submitter owns the job directories). */
	@Bean
	io.raylane.submitter.retention.RetentionSweeps retentionSweeps(
			ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
		return new io.raylane.submitter.retention.RetentionSweeps(
				new io.raylane.submitter.retention.CheckpointSweeper(),
				meters.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new));
	}

	/**
	 * Dead letters are acknowledged by the broker before the consumer's offset can move
	 * past their record.
	 */
	@Bean
	DeadLetterPublisher deadLetterPublisher(KafkaTemplate<String, byte[]> kafka, Clock clock) {
		return DeadLetterPublisher.awaitingAck(kafka, CONSUMER, clock);
	}

	/**
	 * A listener that throws (a stop Ray could not take after the client's own retries)
	 * gets its record redelivered a few times, then dead-lettered, and the partition
	 * moves on.
	 */
	@Bean
	DefaultErrorHandler listenerErrorHandler(DeadLetterPublisher deadLetters, SubmitterProperties properties) {
		SubmitterProperties.Redelivery redelivery = properties.redelivery();
		return deadLetters.afterRedeliveries(redelivery.attempts(), redelivery.interval());
	}

}
