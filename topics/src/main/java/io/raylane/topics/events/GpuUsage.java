package io.raylane.topics.events;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * One accounting interval of a job that held GPUs, on {@code raylane.accounting} (key =
 * job id). The observer cuts a running job's time, from Ray's {@code start_time}, into
 * intervals of a fixed period and publishes one record per interval once it is over, and
 * a {@code final} record when Ray reports the job ended ({@code end_time}). Records are
 * produced exactly once (transactional producer); {@link #id} is deterministic, so a
 * consumer that reads twice can still deduplicate. The sum of a job's {@code gpu_seconds}
 * is its allocated GPUs × (Ray's end_time − start_time).
 *
 * @param schemaVersion version of this record's shape
 * @param id {@code <job id>/<interval index>}: unique per record, the same whoever
 * computes it
 * @param jobId the job (Ray's submission id)
 * @param user the job's owner
 * @param pool the pool it ran in
 * @param workload the JobSpec's workload (command, ppo, grpo, sft, nccl_check)
 * @param gpus GPUs the job held (nodes × GPUs per node)
 * @param intervalIndex 0 for the interval starting at Ray's start_time, then 1, 2, …
 * @param intervalStart start of the interval (inclusive)
 * @param intervalEnd end of the interval (exclusive); Ray's end_time for the final record
 * @param gpuSeconds {@code gpus × (interval_end − interval_start)} in seconds,
 * millisecond precision
 * @param isFinal true on the last record of the job (JSON {@code final})
 * @param avgGpuUtilization mean utilization (0–100 %) of the job's GPUs over the
 * interval, when scraped
 * @param peakGpuMemoryMib highest GPU memory in use on one of the job's GPUs over the
 * interval (MiB), when scraped
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", defaultImpl = GpuUsage.class)
@JsonTypeName("GpuUsage")
public record GpuUsage(int schemaVersion, String id, String jobId, String user, String pool, String workload, int gpus,
		long intervalIndex, Instant intervalStart, Instant intervalEnd, double gpuSeconds,
		@JsonProperty("final") boolean isFinal, Double avgGpuUtilization, Double peakGpuMemoryMib) {

	public static final int SCHEMA_VERSION = 1;

	public GpuUsage {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

	/** The deterministic id of interval {@code index} of a job. */
	public static String idOf(String jobId, long index) {
		return jobId + "/" + index;
	}

	/**
	 * GPU-seconds of {@code gpus} held from {@code start} to {@code end}, at millisecond
	 * precision.
	 */
	public static double gpuSeconds(int gpus, Instant start, Instant end) {
		return gpus * Duration.between(start, end).toMillis() / 1000.0;
	}

}
