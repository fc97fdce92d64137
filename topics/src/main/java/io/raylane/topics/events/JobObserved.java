package io.raylane.topics.events;

import java.time.Instant;

/**
 * A Raylane job as Ray reports it ({@code GET /api/jobs/}), published when any field
 * changes.
 *
 * @param schemaVersion version of this record's shape
 * @param jobId the job id (Ray's submission id)
 * @param pool the pool, from the job's Ray metadata
 * @param rayStatus PENDING, RUNNING, STOPPED, SUCCEEDED or FAILED
 * @param driverNodeIp the driver's node IP ({@code driver_info.node_ip_address}), once
 * known
 * @param startTimeMs Ray's start_time (epoch ms)
 * @param endTimeMs Ray's end_time (epoch ms), set on a terminal status
 * @param exitCode Ray's driver_exit_code
 * @param message Ray's message
 * @param errorType Ray's error_type (opaque)
 * @param observedAt when the observer saw it
 * @param failure the failure classification of a FAILED job's driver log (workloads
 * issue)
 * @param progress training progress read from a running job's driver log (workloads
 * issue)
 * @param ncclBandwidth the bus bandwidth per node pair a {@code nccl_check} job measured,
 * read from its driver log (issue 16 item 6); null for other jobs
 */
public record JobObserved(int schemaVersion, String jobId, String pool, String rayStatus, String driverNodeIp,
		Long startTimeMs, Long endTimeMs, Integer exitCode, String message, String errorType, Instant observedAt,
		io.raylane.topics.job.Failure failure, io.raylane.topics.job.Progress progress,
		java.util.List<io.raylane.topics.job.NcclBandwidth> ncclBandwidth) implements RayObservation {

	public static final int SCHEMA_VERSION = 1;

	public JobObserved {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
		ncclBandwidth = (ncclBandwidth != null) ? java.util.List.copyOf(ncclBandwidth) : null;
	}

	/** An observation without NCCL check results (every workload but nccl_check). */
	public JobObserved(int schemaVersion, String jobId, String pool, String rayStatus, String driverNodeIp,
			Long startTimeMs, Long endTimeMs, Integer exitCode, String message, String errorType, Instant observedAt,
			io.raylane.topics.job.Failure failure, io.raylane.topics.job.Progress progress) {
		this(schemaVersion, jobId, pool, rayStatus, driverNodeIp, startTimeMs, endTimeMs, exitCode, message, errorType,
				observedAt, failure, progress, null);
	}

	/** An observation of Ray's fields only. */
	public JobObserved(int schemaVersion, String jobId, String pool, String rayStatus, String driverNodeIp,
			Long startTimeMs, Long endTimeMs, Integer exitCode, String message, String errorType, Instant observedAt) {
		this(schemaVersion, jobId, pool, rayStatus, driverNodeIp, startTimeMs, endTimeMs, exitCode, message, errorType,
				observedAt, null, null, null);
	}

}
