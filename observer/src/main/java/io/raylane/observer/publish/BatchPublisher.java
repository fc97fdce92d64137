package io.raylane.observer.publish;

/**
 * Where a poll's records go ({@link TransactionalBatchPublisher} in the service): all of
 * them or none. Returns once they are committed; throws when they are not, and then none
 * of them is visible to read_committed readers.
 */
public interface BatchPublisher {

	void publish(PollBatch batch);

}
