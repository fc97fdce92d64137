package io.raylane.observer.publish;

import java.util.List;

import io.raylane.topics.events.Alert;
import io.raylane.topics.events.GpuUsage;
import io.raylane.topics.events.NodeObserved;
import io.raylane.topics.events.RayObservation;

/**
 * Everything one poll publishes, committed together in one Kafka transaction: a job's
 * terminal JobObserved and its final GpuUsage can never be separated.
 *
 * @param jobs on {@code raylane.ray-observations}, key job id: JobObserved, and JobLost
 * for the jobs Ray lost
 * @param nodes on {@code raylane.node-events}, key node id
 * @param usages on {@code raylane.accounting}, key job id
 * @param alerts on {@code raylane.alerts}, key subject
 */
public record PollBatch(List<? extends RayObservation> jobs, List<NodeObserved> nodes, List<GpuUsage> usages,
		List<Alert> alerts) {

	public static final PollBatch EMPTY = new PollBatch(List.of(), List.of(), List.of(), List.of());

	public PollBatch {
		jobs = List.copyOf(jobs);
		nodes = List.copyOf(nodes);
		usages = List.copyOf(usages);
		alerts = List.copyOf(alerts);
	}

	public boolean isEmpty() {
		return this.jobs.isEmpty() && this.nodes.isEmpty() && this.usages.isEmpty() && this.alerts.isEmpty();
	}

	public int size() {
		return this.jobs.size() + this.nodes.size() + this.usages.size() + this.alerts.size();
	}

}
