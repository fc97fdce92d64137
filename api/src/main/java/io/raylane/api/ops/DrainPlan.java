package io.raylane.api.ops;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.node.NodeView;

/**
 * What {@code POST /v1/ops/drain_node} does, or would do, to a node and each job on it
 * (pure, so the dry run and the real call answer the same). A drain without a deadline
 * waits for every job; with one, the scheduler stops at the deadline every job still
 * holding the node ({@code NodeLifecycle.drained}), with the drain's reason.
 * <p>
 * No job is requeued: Ray's submission id is Raylane's job id and a Ray cluster refuses
 * an id it has seen (docs/reference/ray-api.md), so a job that reached Ray cannot be
 * submitted again under its id, and no JobSpec field allows it yet (docs/api.md,
 * "Operations").
 */
final class DrainPlan {

	/** What the drain deadline does to a job. */
	enum Action {

		/** the job runs on; the drain waits for it (no deadline) */
		WAIT,
		/** stopped at the deadline if it still runs then */
		STOP,
		/** already ended: the drain does nothing to it */
		NONE;

		String wire() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	private DrainPlan() {
	}

	/** One job's fate under a drain with this deadline (null = none). */
	static Action action(JobStatus status, Instant deadline) {
		if (status == null || status.isTerminal()) {
			return Action.NONE;
		}
		return (deadline == null) ? Action.WAIT : Action.STOP;
	}

	/** The answer's job lines: every job that holds the node, with its fate. */
	static List<OpsResponses.JobAction> jobs(NodeView node, Instant deadline,
			Function<String, Optional<JobView>> views) {
		return node.jobs().stream().map((id) -> {
			Optional<JobView> view = views.apply(id);
			JobStatus status = view.map(JobView::status).orElse(null);
			// a job the read model does not hold yet is still on the node: treat it as
			// running
			Action action = (view.isEmpty()) ? action(JobStatus.RUNNING, deadline) : action(status, deadline);
			return new OpsResponses.JobAction(id, view.map(JobView::user).orElse(null),
					(status != null) ? status.name() : null, action.wire());
		}).toList();
	}

}
