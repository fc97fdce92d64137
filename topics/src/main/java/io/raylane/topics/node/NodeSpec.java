package io.raylane.topics.node;

import java.util.Map;

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
 */
public record NodeSpec(String nodeId, String host, Integer port, String user, String pool, Map<String, String> labels,
		Integer gpus, String sshKey) {

	public static final int DEFAULT_PORT = 22;

	public NodeSpec {
		labels = (labels != null) ? Map.copyOf(labels) : Map.of();
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
