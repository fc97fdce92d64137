package io.raylane.scheduler.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Test builders for planner tables: nodes, running jobs' releases, queued jobs and
 * limits, and a compact rendering of decisions ("j1 DISPATCH [n1]", "j2 WAIT #1
 * [insufficient_nodes] est=+60m") so a table row reads as a sentence.
 */
final class Planning {

	static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	private Planning() {
	}

	static PoolNode node(String id, int gpus, int free) {
		return PoolNode.online(id, gpus, free);
	}

	static PoolNode node(String id, int gpus, int free, Map<String, String> labels) {
		return PoolNode.online(id, gpus, free).withLabels(labels);
	}

	static PoolNode dead(String id, int gpus) {
		return PoolNode.offline(id, gpus, gpus);
	}

	static PoolNode draining(String id, int gpus) {
		return PoolNode.draining(id, gpus, gpus);
	}

	/** GPUs a running job gives back on {@code node} {@code minutes} after T0. */
	static Release release(String node, int gpus, long minutes) {
		return new Release(node, "running-on-" + node, gpus, T0.plusSeconds(minutes * 60));
	}

	static Pool pool(PoolNode... nodes) {
		return new Pool(PoolSnapshot.of("default", nodes));
	}

	record Pool(PoolSnapshot snapshot) {

		Pool releasing(Release... releases) {
			return new Pool(this.snapshot.withReleases(List.of(releases)));
		}

	}

	static Job job(String id, int nnodes, int gpusPerNode) {
		return new Job(new QueuedJob(id, T0, nnodes, gpusPerNode, "alice", Map.of(), null));
	}

	record Job(QueuedJob queued) {

		Job user(String user) {
			QueuedJob q = this.queued;
			return new Job(new QueuedJob(q.jobId(), q.acceptedAt(), q.nnodes(), q.gpusPerNode(), user, q.nodeSelector(),
					q.timeout()));
		}

		Job minutes(long timeout) {
			QueuedJob q = this.queued;
			return new Job(new QueuedJob(q.jobId(), q.acceptedAt(), q.nnodes(), q.gpusPerNode(), q.user(),
					q.nodeSelector(), Duration.ofMinutes(timeout)));
		}

		Job selecting(Map<String, String> selector) {
			QueuedJob q = this.queued;
			return new Job(new QueuedJob(q.jobId(), q.acceptedAt(), q.nnodes(), q.gpusPerNode(), q.user(), selector,
					q.timeout()));
		}

	}

	/**
	 * Jobs accepted one second apart, in the order given (unless a job set its own
	 * acceptance time).
	 */
	static List<QueuedJob> queue(Job... jobs) {
		List<QueuedJob> result = new ArrayList<>();
		for (int i = 0; i < jobs.length; i++) {
			QueuedJob q = jobs[i].queued();
			Instant accepted = q.acceptedAt().equals(T0) ? T0.minusSeconds(100 - i) : q.acceptedAt();
			result.add(new QueuedJob(q.jobId(), accepted, q.nnodes(), q.gpusPerNode(), q.user(), q.nodeSelector(),
					q.timeout()));
		}
		return result;
	}

	/**
	 * No quota and no Ray-head cap; jobs without a timeout are assumed to run 24 hours.
	 */
	static PlanLimits limits() {
		return PlanLimits.none(T0);
	}

	static List<String> render(AdmissionPlan plan) {
		return plan.decisions().stream().map(Planning::render).toList();
	}

	static String render(Decision d) {
		return switch (d.outcome()) {
			case DISPATCH -> d.jobId() + " DISPATCH " + d.nodes();
			case REJECT -> d.jobId() + " REJECT";
			case WAIT -> d.jobId() + " WAIT #" + d.position() + " " + d.codes() + ((d.estimatedStart() != null)
					? " est=+" + Duration.between(T0, d.estimatedStart()).toMinutes() + "m" : "");
		};
	}

	static Map<String, String> labels(String... keyValues) {
		Map<String, String> result = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			result.put(keyValues[i], keyValues[i + 1]);
		}
		return result;
	}

	static String details(Decision d) {
		return d.reasons().stream().map((r) -> r.code() + ": " + r.detail()).collect(Collectors.joining(" | "));
	}

}
