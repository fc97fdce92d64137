package io.raylane.topics;

/**
 * How durable the topics Raylane creates are: their replication factor and
 * {@code min.insync.replicas}. With every producer on {@code acks=all}, a write is
 * acknowledged only once {@code minInsyncReplicas} brokers hold it, so the production
 * default (3 and 2) loses nothing when one broker dies and keeps accepting writes while
 * it is away. A single-broker development cluster (the all-in-one) uses 1 and 1.
 *
 * @param replicationFactor replicas of each partition
 * @param minInsyncReplicas replicas that must have a write before it is acknowledged
 */
public record TopicPolicy(short replicationFactor, short minInsyncReplicas) {

	/** Production: three replicas, two of them in sync for every write. */
	public static final TopicPolicy PRODUCTION = new TopicPolicy((short) 3, (short) 2);

	/** One broker (the all-in-one, a developer's laptop, a test broker). */
	public static final TopicPolicy SINGLE_BROKER = new TopicPolicy((short) 1, (short) 1);

	public TopicPolicy {
		if (replicationFactor < 1) {
			throw new IllegalArgumentException(
					"raylane.kafka.replication-factor must be at least 1, not " + replicationFactor);
		}
		if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
			throw new IllegalArgumentException("raylane.kafka.min-insync-replicas must be between 1 and the "
					+ "replication factor (" + replicationFactor + "), not " + minInsyncReplicas
					+ ": a larger value makes every acks=all write fail");
		}
	}

	/**
	 * The policy for {@code replicationFactor} with its default
	 * {@code min.insync.replicas}: one less than the replication factor, at most 2 (a
	 * write survives one broker failure and one broker may be away), at least 1.
	 */
	public static TopicPolicy of(short replicationFactor) {
		return new TopicPolicy(replicationFactor, defaultMinInsyncReplicas(replicationFactor));
	}

	/** One less than {@code replicationFactor}, between 1 and 2. */
	public static short defaultMinInsyncReplicas(short replicationFactor) {
		return (short) Math.max(1, Math.min(2, replicationFactor - 1));
	}

}
