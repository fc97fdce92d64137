package io.raylane.nodeagent.provision;

import java.util.ArrayList;
import java.util.List;

import io.raylane.topics.events.NodeEvent;
import io.raylane.topics.events.ProvisionFailed;
import io.raylane.topics.events.ProvisionNode;
import io.raylane.topics.events.RayHeadRestarted;
import io.raylane.topics.events.RayHeadRestarted.WorkerRestart;
import io.raylane.topics.events.RestartRayHead;
import io.raylane.topics.node.NodeSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's Ray head restart (issue 16), in order: the head's provisioning
 * ({@code ray stop}, then {@code ray start --head}: the head's role picks the command),
 * then each worker's ({@code ray stop}, then {@code ray start --address}), so no worker
 * tries to join a head that is not back yet. A head that does not start touches no
 * worker: they keep their old (dead) raylets until the operator acts, and the outcome
 * says so. Each step is the ordinary {@code ProvisionNode} path, with its retries, its
 * quoting and the node's environment.
 */
final class RayHeadRestart {

	private static final Logger log = LoggerFactory.getLogger(RayHeadRestart.class);

	private final NodeCommandHandler handler;

	RayHeadRestart(NodeCommandHandler handler) {
		this.handler = handler;
	}

	RayHeadRestarted restart(RestartRayHead command) {
		NodeSpec head = command.spec();
		if (head == null || !head.isHead()) {
			return outcome(command, false, "the node to restart is not of role head, nothing was run", List.of());
		}
		log.info("{}: restarting the Ray head for operation {} (asked by {})", command.nodeId(), command.operationId(),
				command.by());
		String failure = failure(this.handler.provision(provision(head, command)));
		if (failure != null) {
			return outcome(command, false, failure, List.of());
		}
		List<WorkerRestart> workers = new ArrayList<>();
		for (NodeSpec worker : command.workers()) {
			String why = failure(this.handler.provision(provision(worker, command)));
			workers.add(new WorkerRestart(worker.nodeId(), why == null, why));
		}
		return outcome(command, true, null, workers);
	}

	private static ProvisionNode provision(NodeSpec spec, RestartRayHead command) {
		return new ProvisionNode(0, spec.nodeId(), spec.poolOrDefault(), spec, 1, command.at());
	}

	/** Null when the node was provisioned, else why not. */
	private static String failure(NodeEvent event) {
		return (event instanceof ProvisionFailed failed) ? failed.reason() : null;
	}

	private RayHeadRestarted outcome(RestartRayHead command, boolean started, String reason,
			List<WorkerRestart> workers) {
		return new RayHeadRestarted(0, command.nodeId(), command.pool(), command.operationId(), started, reason,
				workers, this.handler.now());
	}

}
