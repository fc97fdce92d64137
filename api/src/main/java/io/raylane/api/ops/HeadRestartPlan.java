package io.raylane.api.ops;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.node.NodeState;
import io.raylane.topics.node.NodeView;

/**
 * What {@code POST /v1/ops/restart_ray_head} does, or would do (pure): per job Ray holds
 * or is about to get, and per worker.
 * <ul>
 * <li>SUBMITTED or RUNNING: Ray holds the job and loses it with the head (no GCS fault
 * tolerance): {@code end}, stopped first with the restart as its reason. Such jobs make
 * the call refuse (409) unless {@code force}.</li>
 * <li>DISPATCHED: not on Ray yet; the submitter's submission fails while the head is down
 * and the scheduler submits it again once the head answers ({@code SubmitRetries}):
 * {@code resubmit}.</li>
 * <li>QUEUED and ACCEPTED jobs are not listed: nothing happens to them.</li>
 * <li>Workers: every registered, non-head node that is ONLINE, PROVISIONING or DRAINING
 * (its raylet dies with the head) is re-provisioned, {@code ray start --address} again;
 * OFFLINE and FAILED ones are left alone.</li>
 * </ul>
 */
final class HeadRestartPlan {

	static final String END = "end";

	static final String RESUBMIT = "resubmit";

	static final String REPROVISION = "reprovision";

	private HeadRestartPlan() {
	}

	/** A job's fate, or null when the restart does nothing to it. */
	static String action(JobStatus status) {
		if (status == JobStatus.SUBMITTED || status == JobStatus.RUNNING) {
			return END;
		}
		if (status == JobStatus.DISPATCHED) {
			return RESUBMIT;
		}
		return null;
	}

	static List<OpsResponses.JobAction> jobs(Collection<JobView> jobs) {
		return jobs.stream()
			.filter((job) -> action(job.status()) != null)
			.sorted(Comparator.comparing(JobView::jobId))
			.map((job) -> new OpsResponses.JobAction(job.jobId(), job.user(), job.status().name(),
					action(job.status())))
			.toList();
	}

	/** Whether the restart re-provisions this node. */
	static boolean reprovisioned(NodeView node) {
		return node.spec() != null && !node.head() && (node.state() == NodeState.ONLINE
				|| node.state() == NodeState.PROVISIONING || node.state() == NodeState.DRAINING);
	}

	static List<NodeView> workers(Collection<NodeView> nodes) {
		return nodes.stream()
			.filter(HeadRestartPlan::reprovisioned)
			.sorted(Comparator.comparing(NodeView::nodeId))
			.toList();
	}

	/** The ids of the jobs that end: what a refusal names. */
	static List<String> ending(List<OpsResponses.JobAction> jobs) {
		return jobs.stream().filter((job) -> END.equals(job.action())).map(OpsResponses.JobAction::jobId).toList();
	}

}
