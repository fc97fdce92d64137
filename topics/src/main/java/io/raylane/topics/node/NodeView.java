package io.raylane.topics.node;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * The scheduler's snapshot of one worker node, published on {@code raylane.node-states}
 * (compacted, key = node id).
 *
 * @param schemaVersion version of this record's shape
 * @param nodeId the node id (Ray's node id for nodes learned from Ray)
 * @param host the node's IP as Ray knows it
 * @param pool the node's pool
 * @param state lifecycle state
 * @param reason why the node is in that state, when it is not plainly ONLINE
 * @param gpus GPUs the node has
 * @param gpusAllocated GPUs reserved by running jobs
 * @param labels free-form labels
 * @param jobs ids of the jobs holding GPUs on this node
 * @param updatedAt when this snapshot was produced
 * @param port the node's SSH port (registered nodes)
 * @param user the SSH user (registered nodes)
 * @param spec the whole registered NodeSpec (registered nodes; null for nodes learned
 * from Ray alone and in snapshots written before issue 16): the API's ops operations read
 * the role, the per-node env and the SSH coordinates from it
 * @param gpusHeldOutside GPUs of the node that Ray jobs or actors Raylane did not submit
 * hold, as the observer last read them from Ray's State API (issue 14 item 3): the
 * scheduler does not offer them until they are free; 0 in snapshots written before
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", defaultImpl = NodeView.class)
@JsonTypeName("NodeView")
public record NodeView(int schemaVersion, String nodeId, String host, String pool, NodeState state, String reason,
		int gpus, int gpusAllocated, Map<String, String> labels, List<String> jobs, Instant updatedAt, Integer port,
		String user, NodeSpec spec, int gpusHeldOutside) {

	public static final int SCHEMA_VERSION = 1;

	/**
	 * How the reason of a node the scheduler declared lost begins (its
	 * {@code NodeLifecycle.lostCheck} writes
	 * {@code "lost: Ray reports the node dead since …"} when re-provisioning it did not
	 * help).
	 */
	public static final String LOST_REASON_PREFIX = "lost";

	public NodeView {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
		labels = (labels != null) ? Map.copyOf(labels) : Map.of();
		jobs = (jobs != null) ? List.copyOf(jobs) : List.of();
		gpusHeldOutside = Math.max(0, gpusHeldOutside);
	}

	/** A snapshot without GPUs held outside Raylane (the fields before issue 14). */
	public NodeView(int schemaVersion, String nodeId, String host, String pool, NodeState state, String reason,
			int gpus, int gpusAllocated, Map<String, String> labels, List<String> jobs, Instant updatedAt, Integer port,
			String user, NodeSpec spec) {
		this(schemaVersion, nodeId, host, pool, state, reason, gpus, gpusAllocated, labels, jobs, updatedAt, port, user,
				spec, 0);
	}

	/** The same snapshot with the GPUs held outside Raylane on the node. */
	public NodeView withGpusHeldOutside(int held) {
		return new NodeView(this.schemaVersion, this.nodeId, this.host, this.pool, this.state, this.reason, this.gpus,
				this.gpusAllocated, this.labels, this.jobs, this.updatedAt, this.port, this.user, this.spec, held);
	}

	/**
	 * Whether the scheduler declared this node lost: FAILED because Ray kept reporting it
	 * dead and re-provisioning did not bring it back (issue 11), or OFFLINE for the same
	 * reason (records written before re-provisioning existed); not a decommissioned or a
	 * failed-to-provision node. The one place this predicate lives; the
	 * {@code raylane_nodes_lost} gauge uses it.
	 */
	public boolean lost() {
		return (this.state == NodeState.FAILED || this.state == NodeState.OFFLINE) && this.reason != null
				&& this.reason.startsWith(LOST_REASON_PREFIX);
	}

	/** A registered node's snapshot without its spec (the fields before issue 16). */
	public NodeView(int schemaVersion, String nodeId, String host, String pool, NodeState state, String reason,
			int gpus, int gpusAllocated, Map<String, String> labels, List<String> jobs, Instant updatedAt, Integer port,
			String user) {
		this(schemaVersion, nodeId, host, pool, state, reason, gpus, gpusAllocated, labels, jobs, updatedAt, port, user,
				null);
	}

	/** Whether this is the registered node of role head (issue 16). */
	@com.fasterxml.jackson.annotation.JsonIgnore
	public boolean head() {
		return this.spec != null && this.spec.isHead();
	}

	/** A node learned from Ray alone (no SSH registration). */
	public NodeView(int schemaVersion, String nodeId, String host, String pool, NodeState state, String reason,
			int gpus, int gpusAllocated, Map<String, String> labels, List<String> jobs, Instant updatedAt) {
		this(schemaVersion, nodeId, host, pool, state, reason, gpus, gpusAllocated, labels, jobs, updatedAt, null, null,
				null);
	}

}
