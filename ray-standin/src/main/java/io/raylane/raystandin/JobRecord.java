package io.raylane.raystandin;

import java.util.Map;

import io.raylane.rayclient.wire.RayContract;
import io.raylane.rayclient.wire.RayJobDetails;

/**
 * One row of the head's job table (what Ray keeps in the GCS as JobInfo), plus where its
 * driver process runs so a restarted head can adopt it. Immutable; each transition
 * returns a new row, and a terminal row never changes.
 */
record JobRecord(String submissionId, String rayJobId, String entrypoint, Map<String, String> metadata,
		Map<String, Object> runtimeEnv, ResourceRequest resources, String status, String message, String errorType,
		long startTime, Long endTime, String driverNodeId, String driverIp, String driverAgentHttpAddress,
		Long driverPid, Long driverStartMs, Integer driverExitCode) {

	static JobRecord pending(String submissionId, SubmitRequest request, long nowMs) {
		return new JobRecord(submissionId, null, request.entrypoint(), request.metadata(), request.runtimeEnv(),
				request.resources(), RayContract.STATUS_PENDING,
				JobMessages.pending(request.resources(), request.runtimeEnv()), null, nowMs, null, null, null, null,
				null, null, null);
	}

	JobRecord running(LocalNode node, String newRayJobId, long pid, Long pidStartMs) {
		return new JobRecord(this.submissionId, newRayJobId, this.entrypoint, this.metadata, this.runtimeEnv,
				this.resources, RayContract.STATUS_RUNNING, JobMessages.RUNNING, null, this.startTime, null,
				node.nodeId(), node.ip(), node.agentAddress(), pid, pidStartMs, null);
	}

	/** The terminal transition; sets {@code end_time}. */
	JobRecord finished(String newStatus, String newMessage, String newErrorType, Integer exitCode, long nowMs) {
		if (terminal()) {
			throw new IllegalStateException("job " + this.submissionId + " is already " + this.status);
		}
		return new JobRecord(this.submissionId, this.rayJobId, this.entrypoint, this.metadata, this.runtimeEnv,
				this.resources, newStatus, newMessage, newErrorType, this.startTime, nowMs, this.driverNodeId,
				this.driverIp, this.driverAgentHttpAddress, this.driverPid, this.driverStartMs, exitCode);
	}

	boolean terminal() {
		return RayContract.isTerminal(this.status);
	}

	boolean pendingStatus() {
		return RayContract.STATUS_PENDING.equals(this.status);
	}

	boolean runningStatus() {
		return RayContract.STATUS_RUNNING.equals(this.status);
	}

	/**
	 * As Ray 2.60 answers for a job: {@code job_id} and {@code driver_info} stay null,
	 * because an entrypoint that is a shell command never calls {@code ray.init} itself
	 * (docs/reference/ray-http.md §4); where the driver runs shows in
	 * {@code driver_node_id} and {@code driver_agent_http_address}.
	 */
	RayJobDetails toDetails() {
		return new RayJobDetails(RayJobDetails.TYPE_SUBMISSION, null, this.submissionId, null, this.status,
				this.entrypoint, this.message, this.errorType, this.startTime, this.endTime, this.metadata,
				this.runtimeEnv, this.driverAgentHttpAddress, this.driverNodeId, this.driverExitCode);
	}

}
