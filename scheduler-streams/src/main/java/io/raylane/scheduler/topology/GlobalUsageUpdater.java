package io.raylane.scheduler.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global store {@value SchedulerTopology#GLOBAL_USAGE} equal to the compacted
 * {@code <application.id>-usage} topic: every pool's usage counters, zero or tombstone
 * deleting one.
 */
final class GlobalUsageUpdater implements Processor<String, Integer, Void, Void> {

	private KeyValueStore<String, Integer> store;

	@Override
	public void init(ProcessorContext<Void, Void> context) {
		this.store = context.getStateStore(SchedulerTopology.GLOBAL_USAGE);
	}

	@Override
	public void process(Record<String, Integer> record) {
		if (record.value() == null || record.value() <= 0) {
			this.store.delete(record.key());
		}
		else {
			this.store.put(record.key(), record.value());
		}
	}

}
