package io.raylane.api.ops;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import io.raylane.api.audit.AuditPublisher;
import io.raylane.api.errors.ApiException;
import io.raylane.api.jobs.JobViewStore;
import io.raylane.api.nodes.NodeViewStore;
import io.raylane.api.ops.OpsRequests.DrainNodeRequest;
import io.raylane.api.ops.OpsRequests.RestartRayHeadRequest;
import io.raylane.api.ops.OpsResponses.DrainNodeResponse;
import io.raylane.api.ops.OpsResponses.JobAction;
import io.raylane.api.ops.OpsResponses.RestartRayHeadResponse;
import io.raylane.api.ops.OpsResponses.WorkerAction;
import io.raylane.api.security.Caller;
import io.raylane.jobspec.JobSpecValidator;
import io.raylane.support.RaylaneSettings;
import io.raylane.topics.events.DrainRequested;
import io.raylane.topics.events.RestartRayHead;
import io.raylane.topics.events.StopJob;
import io.raylane.topics.job.Durations;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.node.NodeSpec;
import io.raylane.topics.node.NodeState;
import io.raylane.topics.node.NodeView;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/ops} (issue 16, admins only, every call audited on {@code raylane.audit},
 * each with {@code dry_run}): {@code drain_node} (the drain of {@code POST
 * /v1/nodes/{id}:drain}, with a reason and a plan per job), {@code restart_ray_head}
 * (over SSH through the node-agent; answered 202 with an operation, whose outcome
 * {@code GET /v1/ops/operations/{id}} shows). The decisions are {@link DrainPlan} and
 * {@link HeadRestartPlan}.
 */
@RestController
@RequestMapping("/v1/ops")
class OpsController {

	/** A reason is one line a person reads on the node and in each stopped job. */
	static final int MAX_REASON = 500;

	/**
	 * How long a restart may run before another may start: far above a head and a few
	 * dozen workers' {@code ray start} (≈ 30 s each).
	 */
	static final Duration STALE_OPERATION = Duration.ofMinutes(30);

	private final OpsPublisher publisher;

	private final NodeViewStore nodes;

	private final JobViewStore jobs;

	private final Operations operations;

	private final AuditPublisher audit;

	private final Clock clock;

	private final Duration maxDrain;

	OpsController(OpsPublisher publisher, NodeViewStore nodes, JobViewStore jobs, Operations operations,
			AuditPublisher audit, Clock clock, RaylaneSettings settings) {
		this.publisher = publisher;
		this.nodes = nodes;
		this.jobs = jobs;
		this.operations = operations;
		this.audit = audit;
		this.clock = clock;
		this.maxDrain = settings.jobs().maxTimeout();
	}

	@PostMapping("/drain_node")
	ResponseEntity<DrainNodeResponse> drainNode(HttpServletRequest request, Authentication authentication)
			throws IOException {
		// 1. admin, a valid request, a known worker
		Caller caller = admin(authentication);
		DrainNodeRequest body = OpsRequests.read(request.getInputStream(), DrainNodeRequest.class,
				new DrainNodeRequest(null, null, null, null, null));
		if (body.nodeId() == null || body.nodeId().isBlank()) {
			throw ApiException.badRequest("invalid_parameter", "node_id", "node_id is required");
		}
		String reason = reason(body.reason());
		Instant deadline = deadline(body);
		NodeView node = node(body.nodeId());
		if (node.head()) {
			throw new ApiException(HttpStatus.CONFLICT, "node_is_head", "node_id",
					"node " + node.nodeId() + " is the Ray head; it runs no job: use POST /v1/ops/restart_ray_head");
		}
		boolean dryRun = Boolean.TRUE.equals(body.dryRun());
		// 2. the plan; the same drain under way already is no second drain
		List<JobAction> plan = DrainPlan.jobs(node, deadline, this.jobs::get);
		boolean same = node.state() == NodeState.DRAINING && sameDrain(node, deadline, reason);
		DrainNodeResponse answer = new DrainNodeResponse(node.nodeId(), dryRun, Objects.toString(node.state(), null),
				deadline, reason, !dryRun && !same, plan);
		if (dryRun || same) {
			this.audit.record(caller.name(), "drain_node", node.nodeId(), dryRun ? "dry_run" : "unchanged",
					request.getRemoteAddr());
			return ResponseEntity.ok(answer);
		}
		// 3. the drain the scheduler already knows, with the reason
		this.publisher.nodeEvent(new DrainRequested(0, node.nodeId(), node.pool(), deadline, caller.name(),
				this.clock.instant(), reason));
		this.audit.record(caller.name(), "drain_node", node.nodeId(), "accepted", request.getRemoteAddr());
		return ResponseEntity.accepted().location(URI.create("/v1/nodes/" + node.nodeId())).body(answer);
	}

	@PostMapping("/restart_ray_head")
	ResponseEntity<RestartRayHeadResponse> restartRayHead(HttpServletRequest request, Authentication authentication)
			throws IOException {
		// 1. admin, a valid request, a registered head
		Caller caller = admin(authentication);
		RestartRayHeadRequest body = OpsRequests.read(request.getInputStream(), RestartRayHeadRequest.class,
				new RestartRayHeadRequest(null, null));
		boolean force = Boolean.TRUE.equals(body.force());
		boolean dryRun = Boolean.TRUE.equals(body.dryRun());
		List<NodeView> all = this.nodes.list(null);
		NodeView head = all.stream()
			.filter(NodeView::head)
			.findFirst()
			.orElseThrow(() -> ApiException.notFound("head_not_found",
					"no node has role head: register the Ray head with POST /v1/nodes and \"role\": \"head\""));
		// 2. the plan: the jobs Ray holds or is about to get, the workers
		// idempotent: a restart under way is the answer, not a second restart (one whose
		// node-agent never reported is forgotten after STALE_OPERATION)
		java.util.Optional<RestartRayHeadResponse> underWay = dryRun ? java.util.Optional.empty()
				: this.operations.running(this.clock.instant().minus(STALE_OPERATION));
		if (underWay.isPresent()) {
			this.audit.record(caller.name(), "restart_ray_head", head.nodeId(),
					"unchanged " + underWay.get().operationId(), request.getRemoteAddr());
			return ResponseEntity.ok()
				.location(URI.create("/v1/ops/operations/" + underWay.get().operationId()))
				.body(underWay.get());
		}
		List<JobView> active = new ArrayList<>();
		for (JobStatus status : List.of(JobStatus.DISPATCHED, JobStatus.SUBMITTED, JobStatus.RUNNING)) {
			active.addAll(this.jobs.inStatus(status));
		}
		List<JobAction> plan = HeadRestartPlan.jobs(active);
		List<NodeView> workers = HeadRestartPlan.workers(all);
		List<String> ending = HeadRestartPlan.ending(plan);
		if (!ending.isEmpty() && !force && !dryRun) {
			this.audit.record(caller.name(), "restart_ray_head", head.nodeId(), "refused", request.getRemoteAddr());
			throw new ApiException(HttpStatus.CONFLICT, "jobs_running", "force",
					"Raylane jobs run on Ray: " + String.join(", ", ending)
							+ "; they would end with the restart. Send \"force\": true to end them, or wait");
		}
		List<WorkerAction> workerLines = workers.stream()
			.map((w) -> new WorkerAction(w.nodeId(), HeadRestartPlan.REPROVISION, null, null))
			.toList();
		if (dryRun) {
			this.audit.record(caller.name(), "restart_ray_head", head.nodeId(), "dry_run", request.getRemoteAddr());
			return ResponseEntity.ok(new RestartRayHeadResponse(null, "restart_ray_head", true, "planned",
					head.nodeId(), force, null, plan, workerLines, null, null));
		}
		// 3. end the jobs Ray holds with the reason, then the restart itself
		Instant now = this.clock.instant();
		String operationId = "op-" + UUID.randomUUID();
		String why = "the Ray head restarts (restart_ray_head by " + caller.name() + ", operation " + operationId + ")";
		for (JobView job : active) {
			if (HeadRestartPlan.END.equals(HeadRestartPlan.action(job.status()))) {
				this.publisher.jobCommand(new StopJob(job.jobId(), job.pool(), caller.name(), why, now));
			}
		}
		RestartRayHeadResponse operation = new RestartRayHeadResponse(operationId, "restart_ray_head", false, "running",
				head.nodeId(), force, null, plan, workerLines, now, null);
		this.operations.started(operation);
		List<NodeSpec> specs = workers.stream().map(NodeView::spec).toList();
		this.publisher.nodeCommand(
				new RestartRayHead(0, head.nodeId(), head.pool(), head.spec(), specs, operationId, caller.name(), now));
		this.audit.record(caller.name(), "restart_ray_head", head.nodeId(), "accepted " + operationId,
				request.getRemoteAddr());
		return ResponseEntity.accepted()
			.location(URI.create("/v1/ops/operations/" + operationId))
			.body(this.operations.get(operationId).orElse(operation));
	}

	@GetMapping("/operations/{id}")
	RestartRayHeadResponse operation(@PathVariable String id, Authentication authentication) {
		admin(authentication);
		return this.operations.get(id)
			.orElseThrow(() -> ApiException.notFound("operation_not_found", "no operation " + id));
	}

	private NodeView node(String id) {
		return this.nodes.list(null)
			.stream()
			.filter((view) -> view.nodeId().equals(id))
			.findFirst()
			.orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "node_not_found", "node_id", "no node " + id));
	}

	/**
	 * Admins only; the 403 of anyone else is audited by the security chain's
	 * {@code RefusalAudit}, as every refusal is.
	 */
	private static Caller admin(Authentication authentication) {
		Caller caller = Caller.of(authentication);
		if (!caller.admin()) {
			throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", null, "ops operations need the admin role");
		}
		return caller;
	}

	private static String reason(String reason) {
		if (reason == null || reason.isBlank()) {
			return null;
		}
		if (reason.length() > MAX_REASON || reason.chars().anyMatch(Character::isISOControl)) {
			throw ApiException.badRequest("invalid_parameter", "reason",
					"must be one line of at most " + MAX_REASON + " characters");
		}
		return reason.strip();
	}

	/**
	 * The deadline: an instant, or a duration from now; bounded like the drain of
	 * {@code /v1/nodes} by {@code raylane.jobs.max-timeout}.
	 */
	private Instant deadline(DrainNodeRequest body) {
		if (body.deadline() != null && body.timeout() != null) {
			throw ApiException.badRequest("invalid_parameter", "timeout", "give deadline or timeout, not both");
		}
		Instant now = this.clock.instant();
		if (body.deadline() != null) {
			if (body.deadline().isAfter(now.plus(this.maxDrain))) {
				throw ApiException.badRequest("invalid_parameter", "deadline", "must be at most "
						+ JobSpecValidator.format(this.maxDrain) + " from now (raylane.jobs.max-timeout)");
			}
			return body.deadline();
		}
		if (body.timeout() != null) {
			Duration timeout = Durations.parse(body.timeout())
				.orElseThrow(() -> ApiException.badRequest("invalid_parameter", "timeout",
						"'" + body.timeout() + "' is not a duration (e.g. 90s, 10m, 2h30m)"));
			if (timeout.isNegative() || timeout.compareTo(this.maxDrain) > 0) {
				throw ApiException.badRequest("invalid_parameter", "timeout", "must be between 0s and "
						+ JobSpecValidator.format(this.maxDrain) + " (raylane.jobs.max-timeout)");
			}
			return now.plus(timeout);
		}
		return null;
	}

	/**
	 * Whether the node drains already with this deadline and reason: the node's reason
	 * names both ({@code NodeLifecycle.drainRequested}), the view has no other trace of
	 * them.
	 */
	private static boolean sameDrain(NodeView node, Instant deadline, String reason) {
		String shown = Objects.toString(node.reason(), "");
		boolean sameDeadline = (deadline == null) ? shown.contains("waiting for running jobs")
				: shown.contains("running jobs are stopped at " + deadline);
		boolean sameReason = (reason == null) ? shown.startsWith("draining:")
				: shown.startsWith("draining (" + reason + "):");
		return sameDeadline && sameReason;
	}

}
