package io.raylane.topics.node;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A worker container an operator registers (POST /v1/nodes): where to SSH to, as whom,
 * and what it becomes in Ray. Checked by {@link NodeSpecValidator} before anything is
 * written; every value still reaches a shell only quoted.
 *
 * @param nodeId Raylane's node id (lower case, digits, hyphens); Ray gives the node its
 * own hex id
 * @param host hostname or IP to SSH to, also the IP the node advertises to Ray
 * ({@code --node-ip-address})
 * @param port SSH port (default 22)
 * @param user SSH user
 * @param pool the node's pool ({@code raylane-pool-<pool>} resource)
 * @param labels Ray node labels ({@code --labels})
 * @param gpus GPUs the node offers ({@code --num-gpus})
 * @param sshKey optional name of a private key file in the node-agent's key directory
 * (default: the agent's RAYLANE_SSH_KEY); a reference, never key material
 * @param role {@code worker} (the default, also when absent: records written before issue
 * 16) or {@code head}: the node that runs the Ray head ({@code ray start --head}), which
 * takes no job and which {@code POST /v1/ops/restart_ray_head} restarts
 * @param env extra environment variables of {@code ray start} on this node, and so of
 * every Ray process it starts (e.g. {@code NCCL_SOCKET_IFNAME}, which differs per host);
 * null or empty = none. They reach the node on the command's stdin, never on its command
 * line, so no log shows their values
 */
public record NodeSpec(String nodeId, String host, Integer port, String user, String pool, Map<String, String> labels,
		Integer gpus, String sshKey, String role, Map<String, String> env) {

	public static final int DEFAULT_PORT = 22;

	/** The role of a node that runs Ray work (the default). */
	public static final String ROLE_WORKER = "worker";

	/** The role of the node that runs the Ray head. */
	public static final String ROLE_HEAD = "head";

	public NodeSpec {
		labels = (labels != null) ? Map.copyOf(labels) : Map.of();
		// null stays null, so records without env read and write as before
		env = (env != null && !env.isEmpty()) ? Collections.unmodifiableMap(new TreeMap<>(env)) : null;
	}

	/** A worker without per-node environment (the fields before issue 16). */
	public NodeSpec(String nodeId, String host, Integer port, String user, String pool, Map<String, String> labels,
			Integer gpus, String sshKey) {
		this(nodeId, host, port, user, pool, labels, gpus, sshKey, null, null);
	}

	public String roleOrDefault() {
		return (this.role != null) ? this.role : ROLE_WORKER;
	}

	@JsonIgnore
	public boolean isHead() {
		return ROLE_HEAD.equals(this.role);
	}

	public Map<String, String> envOrEmpty() {
		return (this.env != null) ? this.env : Map.of();
	}

	public int portOrDefault() {
		return (this.port != null) ? this.port : DEFAULT_PORT;
	}

	public int gpusOrZero() {
		return (this.gpus != null) ? this.gpus : 0;
	}

	public String poolOrDefault() {
		return (this.pool != null) ? this.pool : "default";
	}

}
