package io.raylane.api.nodes;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.raylane.api.audit.AuditPublisher;
import io.raylane.api.errors.ApiException;
import io.raylane.api.nodes.NodeResponses.Ack;
import io.raylane.api.nodes.NodeResponses.DrainRequest;
import io.raylane.api.Pages;
import io.raylane.api.nodes.NodeResponses.NodeList;
import io.raylane.api.nodes.NodeResponses.NodeResponse;
import io.raylane.api.security.Caller;
import io.raylane.topics.events.DecommissionRequested;
import io.raylane.topics.events.DrainRequested;
import io.raylane.topics.events.NodeRegistered;
import io.raylane.topics.events.UndrainRequested;
import io.raylane.jobspec.JobSpecValidator;
import io.raylane.support.RaylaneSettings;
import io.raylane.topics.job.Durations;
import io.raylane.topics.job.FieldError;
import io.raylane.topics.node.NodeSpec;
import io.raylane.topics.node.NodeSpecValidator;
import io.raylane.topics.node.NodeState;
import io.raylane.topics.node.NodeView;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/nodes} (admins only): register a worker container (→ NodeRegistered on
 * {@code raylane.node-events}; the scheduler then has the node-agent run
 * {@code ray start} over SSH), list and get nodes (from {@link NodeViewStore}, the view
 * of {@code raylane.node-states}), drain / undrain, and decommission (DELETE). A NodeSpec
 * that fails validation, or carries an unknown field, is refused with 400 before anything
 * is written; bodies are bounded ({@link NodeBodies}).
 */
@RestController
@RequestMapping("/v1/nodes")
class NodeController {

	private final NodeEventPublisher events;

	private final NodeViewStore views;

	private final AuditPublisher audit;

	private final Clock clock;

	private final Duration maxDrain;

	/**
	 * @param settings {@code raylane.jobs.max-timeout} also bounds a drain: no job runs
	 * longer, so waiting longer for jobs to end is never needed
	 */
	NodeController(NodeEventPublisher events, NodeViewStore views, AuditPublisher audit, Clock clock,
			RaylaneSettings settings) {
		this.events = events;
		this.views = views;
		this.audit = audit;
		this.clock = clock;
		this.maxDrain = settings.jobs().maxTimeout();
	}

	@PostMapping
	ResponseEntity<Ack> register(HttpServletRequest request, Authentication authentication) throws IOException {
		// 1. admin, a readable and valid spec, not a live node
		Caller caller = admin(authentication);
		NodeSpec spec = NodeBodies.nodeSpec(request.getInputStream());
		List<FieldError> errors = NodeSpecValidator.validate(spec);
		if (!errors.isEmpty()) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_node_spec", errors.get(0).field(),
					errors.get(0).field() + " " + errors.get(0).message(), errors);
		}
		spec = new NodeSpec(spec.nodeId(), spec.host(), spec.portOrDefault(), spec.user(), spec.poolOrDefault(),
				spec.labels(), spec.gpusOrZero(), spec.sshKey(), spec.roleOrDefault(), spec.env());
		if (spec.isHead()) {
			String nodeId = spec.nodeId();
			Optional<NodeView> otherHead = this.views.list(null)
				.stream()
				.filter((view) -> view.head() && !view.nodeId().equals(nodeId) && view.state() != NodeState.OFFLINE
						&& view.state() != NodeState.FAILED)
				.findFirst();
			if (otherHead.isPresent()) {
				throw new ApiException(HttpStatus.CONFLICT, "head_exists", "role",
						"node " + otherHead.get().nodeId() + " is the Ray head already; a cluster has one");
			}
		}
		Optional<NodeView> existing = this.views.get(spec.nodeId());
		if (existing.isPresent() && existing.get().state() != NodeState.OFFLINE
				&& existing.get().state() != NodeState.FAILED) {
			throw new ApiException(HttpStatus.CONFLICT, "node_exists", "node_id",
					"node " + spec.nodeId() + " is " + existing.get().state() + "; drain or delete it first");
		}
		// 2. the durable write, then read-your-writes
		Instant now = this.clock.instant();
		this.events.publish(new NodeRegistered(0, spec.nodeId(), spec.pool(), spec, caller.name(), now));
		this.views.addPlaceholder(new NodeView(0, spec.nodeId(), spec.host(), spec.pool(), NodeState.REGISTERED, null,
				spec.gpus(), 0, spec.labels(), List.of(), now, spec.port(), spec.user(), spec));
		this.audit.record(caller.name(), "register_node", spec.nodeId(), "accepted", request.getRemoteAddr());
		return ResponseEntity.accepted()
			.location(URI.create("/v1/nodes/" + spec.nodeId()))
			.body(new Ack(spec.nodeId(), "register", NodeState.REGISTERED.name()));
	}

	/**
	 * A page of the nodes, by pool then node id (issue 12): {@code limit} (default 100,
	 * at most 1000) and the {@code page_token} of the previous answer.
	 */
	@GetMapping
	NodeList list(@RequestParam(required = false) String pool, @RequestParam(required = false) Integer limit,
			@RequestParam(name = "page_token", required = false) String pageToken, Authentication authentication) {
		admin(authentication);
		Pages.Page<NodeView> page = Pages.of(this.views.list(pool),
				(view) -> Objects.toString(view.pool(), "") + "\u0000" + view.nodeId(), Comparator.naturalOrder(),
				limit, pageToken);
		return new NodeList(page.items().stream().map(NodeResponse::of).toList(), page.nextPageToken());
	}

	@GetMapping("/{id}")
	NodeResponse get(@PathVariable String id, Authentication authentication) {
		admin(authentication);
		return NodeResponse.of(node(id));
	}

	@PostMapping("/{id}:drain")
	ResponseEntity<Ack> drain(@PathVariable String id, HttpServletRequest request, Authentication authentication)
			throws IOException {
		Caller caller = admin(authentication);
		NodeView view = node(id);
		Instant deadline = deadline(request);
		this.events.publish(new DrainRequested(0, id, view.pool(), deadline, caller.name(), this.clock.instant()));
		this.audit.record(caller.name(), "drain_node", id, "accepted", request.getRemoteAddr());
		return ResponseEntity.accepted().body(new Ack(id, "drain", view.state().name()));
	}

	@PostMapping("/{id}:undrain")
	ResponseEntity<Ack> undrain(@PathVariable String id, HttpServletRequest request, Authentication authentication) {
		Caller caller = admin(authentication);
		NodeView view = node(id);
		this.events.publish(new UndrainRequested(0, id, view.pool(), caller.name(), this.clock.instant()));
		this.audit.record(caller.name(), "undrain_node", id, "accepted", request.getRemoteAddr());
		return ResponseEntity.accepted().body(new Ack(id, "undrain", view.state().name()));
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Ack> decommission(@PathVariable String id, HttpServletRequest request,
			Authentication authentication) {
		Caller caller = admin(authentication);
		NodeView view = node(id);
		this.events.publish(new DecommissionRequested(0, id, view.pool(), caller.name(), this.clock.instant()));
		this.audit.record(caller.name(), "decommission_node", id, "accepted", request.getRemoteAddr());
		return ResponseEntity.accepted().body(new Ack(id, "decommission", view.state().name()));
	}

	private NodeView node(String id) {
		return this.views.get(id).orElseThrow(() -> ApiException.notFound("node_not_found", "no node " + id));
	}

	private static Caller admin(Authentication authentication) {
		Caller caller = Caller.of(authentication);
		if (!caller.admin()) {
			throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", null, "managing nodes needs the admin role");
		}
		return caller;
	}

	private Instant deadline(HttpServletRequest request) throws IOException {
		DrainRequest drain = NodeBodies.drainRequest(request.getInputStream());
		if (drain == null) {
			return null;
		}
		// issue 12: bounded, so no deadline overflows the clock of the API or the
		// scheduler
		Instant now = this.clock.instant();
		Instant latest = now.plus(this.maxDrain);
		if (drain.deadline() != null) {
			if (drain.deadline().isAfter(latest)) {
				throw ApiException.badRequest("invalid_parameter", "deadline", "must be at most "
						+ JobSpecValidator.format(this.maxDrain) + " from now (raylane.jobs.max-timeout)");
			}
			return drain.deadline();
		}
		if (drain.timeout() != null) {
			Duration timeout = Durations.parse(drain.timeout())
				.orElseThrow(() -> ApiException.badRequest("invalid_parameter", "timeout",
						"'" + drain.timeout() + "' is not a duration (e.g. 90s, 10m, 2h30m)"));
			if (timeout.isNegative() || timeout.compareTo(this.maxDrain) > 0) {
				throw ApiException.badRequest("invalid_parameter", "timeout", "must be between 0s and "
						+ JobSpecValidator.format(this.maxDrain) + " (raylane.jobs.max-timeout)");
			}
			return now.plus(timeout);
		}
		return null;
	}

}
