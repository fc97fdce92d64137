package io.raylane.topics.node;

/**
 * A worker node's state, owned by the scheduler (the fleet issue adds the SSH
 * provisioning states' use).
 */
public enum NodeState {

	REGISTERED, PROVISIONING, ONLINE, DRAINING, OFFLINE, FAILED;

	/** Whether the node may receive new jobs. */
	public boolean schedulable() {
		return this == ONLINE;
	}

}
