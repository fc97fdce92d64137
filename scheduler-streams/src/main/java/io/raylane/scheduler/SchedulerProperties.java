package io.raylane.scheduler;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The scheduler's settings ({@code raylane.scheduler.*}). The common Raylane properties
 * ({@code raylane.shared.root}, {@code raylane.data.dir},
 * {@code raylane.kafka.replication-factor}, {@code raylane.users.file}) are
 * service-support's {@code RaylaneSettings}.
 *
 * @param applicationId the Kafka Streams application id; names the consumer group and
 * internal topics
 * @param commitInterval Streams' commit interval; under exactly-once output is visible
 * only after a commit, so this bounds how long a decision takes to reach the submitter;
 * 40 ms: at 10 ms a commit fell due after every pass and Streams then processes one
 * record per task between commits, which capped the start rate (issue 17,
 * docs/benchmarks.md)
 * @param stateDir the Streams state directory; {@code <raylane.data.dir>/streams} when
 * unset
 * @param planWindow how many queued jobs one planning cycle looks at (bounds the work per
 * event)
 * @param closeTimeout how long stopping waits for Streams to close cleanly
 * @param poolEnv per pool name, default environment variables of its jobs (e.g.
 * NCCL_IB_HCA); a job's own {@code env} wins
 * @param defaultTimeout the timeout of a job that sets none (its deadline; what backfill
 * assumes)
 * @param poolTimeouts per-pool overrides of {@code defaultTimeout}
 * ({@code pool-timeouts.<pool>=2h})
 * @param defaultGpuQuota GPUs a user without {@code gpu_quota} in the users file may hold
 * at once; unset = unlimited
 * @param maxActiveRayJobs cap on Raylane jobs active on the Ray head; unset =
 * {@code raylane.max-active-ray-jobs} (env {@code RAYLANE_MAX_ACTIVE_RAY_JOBS}), else 100
 * @param maxQueuedTime how long a job may stay QUEUED before it is REJECTED; unset = no
 * limit
 * @param stopGrace how long a timed-out job waits for Ray to confirm the stop before it
 * ends TIMED_OUT anyway
 * @param timeoutCheckInterval how often the wall-clock punctuator fires due timeouts
 * @param submitRetryPeriod how long a job whose submission failed for a transient reason
 * (Ray unreachable) is submitted again before it fails; 0 = fail at once
 * @param submitRetryBackoff the wait before the first resubmission; it doubles after each
 * failure
 * @param submitRetryMaxBackoff the longest wait between two resubmissions
 * @param nodeLostAfter how long Ray must report a registered node dead before the
 * scheduler declares it lost and provisions it again
 * @param nodeReprovisionAttempts how many times in a row a lost node is provisioned again
 * before it is FAILED (0 = FAILED at once)
 * @param nodeStableAfter how long a re-provisioned node must stay up for its next death
 * to start the count again
 * @param defaultMaxRayJobs jobs a user without {@code max_ray_jobs} in the users file may
 * have on the Ray head at once (issue 12); unset = half of the Ray-head cap
 * @param healthFailureWindow how long {@code /actuator/health} says DOWN after a stream
 * thread died or the broker refused a record (issue 12)
 * @param promptCommit whether a fresh record that dispatched or ended a job commits its
 * transaction at once instead of at the next commit interval (issue 17,
 * {@code PromptCommit}); false = commits only at the interval
 */
@ConfigurationProperties("raylane.scheduler")
public record SchedulerProperties(@DefaultValue("raylane-scheduler") String applicationId,
		@DefaultValue("40ms") Duration commitInterval, String stateDir, @DefaultValue("32") int planWindow,
		@DefaultValue("30s") Duration closeTimeout, Map<String, Map<String, String>> poolEnv,
		@DefaultValue("24h") Duration defaultTimeout, Map<String, Duration> poolTimeouts, Integer defaultGpuQuota,
		Integer maxActiveRayJobs, Duration maxQueuedTime, @DefaultValue("2m") Duration stopGrace,
		@DefaultValue("5s") Duration timeoutCheckInterval, @DefaultValue("10m") Duration submitRetryPeriod,
		@DefaultValue("5s") Duration submitRetryBackoff, @DefaultValue("2m") Duration submitRetryMaxBackoff,
		@DefaultValue("60s") Duration nodeLostAfter, @DefaultValue("3") int nodeReprovisionAttempts,
		@DefaultValue("10m") Duration nodeStableAfter, @DefaultValue("1m") Duration healthFailureWindow,
		Integer defaultMaxRayJobs, @DefaultValue("true") boolean promptCommit) {
}
