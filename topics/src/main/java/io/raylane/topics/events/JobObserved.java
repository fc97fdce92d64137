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
 * @param placement the IPs of the nodes where Ray actually put the job's GPU work
 * (bundles of its placement groups, its GPU actors), sorted; null when not read (issue 14
 * item 2)
 */
public record JobObserved(int schemaVersion, String jobId, String pool, String rayStatus, String driverNodeIp,
		Long startTimeMs, Long endTimeMs, Integer exitCode, String message, String errorType, Instant observedAt,
		io.raylane.topics.job.Failure failure, io.raylane.topics.job.Progress progress,
		java.util.List<io.raylane.topics.job.NcclBandwidth> ncclBandwidth,
		java.util.List<String> placement) implements RayObservation {

	public static final int SCHEMA_VERSION = 1;

	public JobObserved {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
		ncclBandwidth = (ncclBandwidth != null) ? java.util.List.copyOf(ncclBandwidth) : null;
		placement = (placement != null) ? java.util.List.copyOf(placement) : null;
	}

	/** An observation without NCCL check results nor a placement reading. */
	public JobObserved(int schemaVersion, String jobId, String pool, String rayStatus, String driverNodeIp,
			Long startTimeMs, Long endTimeMs, Integer exitCode, String message, String errorType, Instant observedAt,
			io.raylane.topics.job.Failure failure, io.raylane.topics.job.Progress progress) {
		this(schemaVersion, jobId, pool, rayStatus, driverNodeIp, startTimeMs, endTimeMs, exitCode, message, errorType,
				observedAt, failure, progress, null, null);
	}

	/** The same observation with Ray's actual placement (null: not read). */
	public JobObserved withPlacement(java.util.List<String> nodeIps) {
		return new JobObserved(this.schemaVersion, this.jobId, this.pool, this.rayStatus, this.driverNodeIp,
				this.startTimeMs, this.endTimeMs, this.exitCode, this.message, this.errorType, this.observedAt,
				this.failure, this.progress, this.ncclBandwidth, nodeIps);
	}

	/** An observation of Ray's fields only. */
	public JobObserved(int schemaVersion, String jobId, String pool, String rayStatus, String driverNodeIp,
			Long startTimeMs, Long endTimeMs, Integer exitCode, String message, String errorType, Instant observedAt) {
		this(schemaVersion, jobId, pool, rayStatus, driverNodeIp, startTimeMs, endTimeMs, exitCode, message, errorType,
				observedAt, null, null, null, null);
	}

}
