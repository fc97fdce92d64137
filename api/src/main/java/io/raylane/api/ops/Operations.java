package io.raylane.api.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.raylane.api.ops.OpsResponses.RestartRayHeadResponse;
import io.raylane.api.ops.OpsResponses.WorkerAction;
import io.raylane.topics.events.RayHeadRestarted;

import org.springframework.stereotype.Component;

/**
 * The ops operations this API instance started, and their outcome as the node-agent
 * reports it ({@link RayHeadRestarted} on {@code raylane.node-events}, read by
 * {@link NodeEventsReader}). The plan lives in memory only; the outcome is read again
 * from the topic after a restart of the API, so {@code GET /v1/ops/operations/{id}} still
 * answers then, without the job lines of the plan.
 */
@Component
class Operations {

	/** Bounds the memory: the oldest operations are forgotten first. */
	static final int MAX_OPERATIONS = 1000;

	private final Map<String, RestartRayHeadResponse> byId = new ConcurrentHashMap<>();

	private final List<String> order = new ArrayList<>();

	void started(RestartRayHeadResponse operation) {
		synchronized (this.order) {
			RestartRayHeadResponse known = this.byId.get(operation.operationId());
			// the outcome may have been read before (several API instances)
			this.byId.put(operation.operationId(), (known != null) ? finish(operation, known) : operation);
			remember(operation.operationId());
		}
	}

	/**
	 * The restart still running that this instance started after {@code since}, if any: a
	 * second call while it runs is answered with it instead of a second restart.
	 */
	Optional<RestartRayHeadResponse> running(java.time.Instant since) {
		return this.byId.values()
			.stream()
			.filter((op) -> "running".equals(op.status()) && op.startedAt() != null && op.startedAt().isAfter(since))
			.findFirst();
	}

	Optional<RestartRayHeadResponse> get(String id) {
		return Optional.ofNullable(this.byId.get(id));
	}

	/** The node-agent's report of an operation. */
	void finished(RayHeadRestarted outcome) {
		if (outcome.operationId() == null) {
			return;
		}
		synchronized (this.order) {
			RestartRayHeadResponse known = this.byId.get(outcome.operationId());
			RestartRayHeadResponse base = (known != null) ? known
					: new RestartRayHeadResponse(outcome.operationId(), "restart_ray_head", false, "running",
							outcome.nodeId(), false, null, List.of(), List.of(), null, null);
			this.byId.put(outcome.operationId(), finish(base, fromOutcome(base, outcome)));
			remember(outcome.operationId());
		}
	}

	private static RestartRayHeadResponse fromOutcome(RestartRayHeadResponse base, RayHeadRestarted outcome) {
		List<WorkerAction> workers = new ArrayList<>();
		for (RayHeadRestarted.WorkerRestart worker : outcome.workers()) {
			workers
				.add(new WorkerAction(worker.nodeId(), HeadRestartPlan.REPROVISION, worker.started(), worker.reason()));
		}
		String reason = outcome.headStarted() ? failedWorkers(workers) : "the head did not start: " + outcome.reason();
		return new RestartRayHeadResponse(base.operationId(), base.kind(), false,
				(reason == null) ? "succeeded" : "failed", base.headNodeId(), base.force(), reason, base.jobs(),
				workers, base.startedAt(), outcome.at());
	}

	private static String failedWorkers(List<WorkerAction> workers) {
		List<String> failed = workers.stream()
			.filter((w) -> !Boolean.TRUE.equals(w.started()))
			.map((w) -> w.nodeId() + " (" + w.reason() + ")")
			.toList();
		return failed.isEmpty() ? null : "workers did not join the head again: " + String.join(", ", failed);
	}

	/** The plan's job lines with the outcome's status, workers and times. */
	private static RestartRayHeadResponse finish(RestartRayHeadResponse plan, RestartRayHeadResponse outcome) {
		if (outcome.finishedAt() == null) {
			return plan;
		}
		List<WorkerAction> workers = outcome.workers().isEmpty() ? plan.workers()
			.stream()
			.map((w) -> new WorkerAction(w.nodeId(), w.action(), false, "not attempted: the head did not start"))
			.toList() : outcome.workers();
		return new RestartRayHeadResponse(plan.operationId(), plan.kind(), false, outcome.status(), plan.headNodeId(),
				plan.force(), outcome.reason(), plan.jobs(), workers, plan.startedAt(), outcome.finishedAt());
	}

	private void remember(String id) {
		this.order.remove(id);
		this.order.add(id);
		while (this.order.size() > MAX_OPERATIONS) {
			this.byId.remove(this.order.remove(0));
		}
	}

}
