package io.raylane.api.ops;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/** The bodies {@code /v1/ops} answers with (snake_case on the wire). */
final class OpsResponses {

	private OpsResponses() {
	}

	/**
	 * One job and what the operation does, or would do, to it.
	 *
	 * @param jobId the job
	 * @param user its owner
	 * @param status its status now
	 * @param action drain_node: {@code wait}, {@code stop}, {@code none};
	 * restart_ray_head: {@code end}, {@code resubmit}
	 */
	@Schema(name = "OpsJobAction")
	record JobAction(String jobId, String user, String status, String action) {
	}

	/**
	 * The answer of {@code POST /v1/ops/drain_node}.
	 *
	 * @param nodeId the node
	 * @param dryRun true when nothing was changed
	 * @param state the node's state now (before the drain takes effect)
	 * @param deadline when the jobs still running are stopped; null = the drain waits
	 * @param reason the operator's reason
	 * @param changed false when the same drain was already under way (nothing written)
	 * @param jobs every job that holds the node, with what the drain does to it
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record DrainNodeResponse(String nodeId, boolean dryRun, String state, Instant deadline, String reason,
			boolean changed, List<JobAction> jobs) {
	}

	/**
	 * A worker the head restart re-provisions, and afterwards whether
	 * {@code ray start --address} worked.
	 *
	 * @param nodeId the worker
	 * @param action {@code reprovision}
	 * @param started null until the operation finished, then whether it joined the head
	 * @param reason why not, or null
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	@Schema(name = "OpsWorkerAction")
	record WorkerAction(String nodeId, String action, Boolean started, String reason) {
	}

	/**
	 * The answer of {@code POST /v1/ops/restart_ray_head} (the plan) and of {@code GET
	 * /v1/ops/operations/{id}} (the plan and its outcome).
	 *
	 * @param operationId the operation's id; null for a dry run
	 * @param kind {@code restart_ray_head}
	 * @param dryRun true when nothing was changed
	 * @param status {@code planned} (dry run), {@code running}, {@code succeeded} (the
	 * head and every worker are back), {@code failed} (the head did not start, or a
	 * worker did not join: {@code reason} says which)
	 * @param headNodeId the node of role head
	 * @param force whether running jobs were ended
	 * @param reason why the operation failed, or null
	 * @param jobs what happens to each job Ray holds or is about to get
	 * @param workers the workers re-provisioned
	 * @param startedAt when it was asked (null for a dry run)
	 * @param finishedAt when the node-agent reported (null until then)
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record RestartRayHeadResponse(String operationId, String kind, boolean dryRun, String status, String headNodeId,
			boolean force, String reason, List<JobAction> jobs, List<WorkerAction> workers, Instant startedAt,
			Instant finishedAt) {
	}

}
