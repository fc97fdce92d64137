package io.raylane.observer;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the observer ({@code raylane.observer.*}). The common
 * {@code raylane.ray.address}, {@code raylane.ray.metrics-port} and
 * {@code raylane.kafka.replication-factor} are service-support's {@code RaylaneSettings}.
 *
 * @param pollInterval pause between two polls of Ray
 * @param connectTimeout TCP connect timeout to Ray's dashboard
 * @param readTimeout wait for Ray's answer
 * @param publishTimeout wait for the broker at start-up (restoring state from the
 * accounting and alert topics)
 * @param progressInterval how often the driver log of a running verl job is read for its
 * progress
 * @param transactionalId the producer's {@code transactional.id}; one observer per id (a
 * second one fences the first)
 * @param accountingInterval period of the accounting intervals
 * ({@code RAYLANE_ACCOUNTING_INTERVAL})
 * @param idleGpuThreshold utilization (percent) under which a job's GPUs count as idle
 * ({@code RAYLANE_IDLE_GPU_THRESHOLD})
 * @param idleGpuWindow how long they must stay idle before a {@code gpu_idle} alert
 * ({@code RAYLANE_IDLE_GPU_WINDOW})
 * @param scrapeTimeout timeout of one scrape of a Ray node's metrics endpoint
 * @param lostJobGrace how long a job Raylane holds on Ray (SUBMITTED or RUNNING) may be
 * missing from Ray's successful answers before it is reported lost (issue 11 item 4: a
 * restarted head forgets its jobs); the job then ends with reason {@code ray_lost_job}
 * about this long after the head answers again
 * @param endedJobMemory how long the observer remembers that Raylane dispatched a job
 * after it ended; a Ray job is attributed only to a job Raylane dispatched (issue 12)
 * @param progressLogLines how many last lines of a running verl job's driver log one
 * progress reading asks Ray for (issue 13 item 6: a bounded tail, not the whole log)
 * @param failureLogLines how many last lines of a failed job's driver log the failure
 * diagnosis reads
 * @param logTailChars at most this many characters of one tail are kept (its end)
 * @param placementInterval how often, at most, Ray's placement groups and actors are read
 * (two State API requests) while Ray runs a job, to learn where Raylane's jobs actually
 * are and which GPUs are held outside Raylane (issue 14); 0 = every poll
 */
@ConfigurationProperties("raylane.observer")
public record ObserverProperties(@DefaultValue("1s") Duration pollInterval, @DefaultValue("2s") Duration connectTimeout,
		@DefaultValue("10s") Duration readTimeout, @DefaultValue("10s") Duration publishTimeout,
		@DefaultValue("15s") Duration progressInterval, @DefaultValue("raylane-observer") String transactionalId,
		@DefaultValue("5m") Duration accountingInterval, @DefaultValue("5") double idleGpuThreshold,
		@DefaultValue("15m") Duration idleGpuWindow, @DefaultValue("1s") Duration scrapeTimeout,
		@DefaultValue("60s") Duration lostJobGrace, @DefaultValue("7d") Duration endedJobMemory,
		@DefaultValue("200") int progressLogLines, @DefaultValue("1000") int failureLogLines,
		@DefaultValue("1048576") int logTailChars, @DefaultValue("10s") Duration placementInterval) {
}
