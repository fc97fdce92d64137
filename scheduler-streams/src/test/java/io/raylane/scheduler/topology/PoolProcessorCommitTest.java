package io.raylane.scheduler.topology;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.raylane.topics.Jobs;
import io.raylane.topics.events.DispatchCommand;
import io.raylane.topics.events.NodeObserved;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: {@link PoolProcessor} asks Kafka Streams to commit right after a fresh record
 * whose decision someone waits for, and only then ({@link PromptCommitTest} has the rule
 * itself). Kafka Streams' {@link MockProcessorContext} records the request.
 */
class PoolProcessorCommitTest {

	private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

	private static final Duration MAX_AGE = Duration.ofMillis(40);

	@TempDir
	Path stateDir;

	private final List<KeyValueStore<?, ?>> stores = new java.util.ArrayList<>();

	private PoolProcessor processor;

	@AfterEach
	void closeStores() {
		this.stores.forEach(KeyValueStore::close);
	}

	@Test
	void shouldCommitAtOnceAfterAFreshSubmissionThatDispatches() {
		MockProcessorContext<String, Object> context = processorWithOneFreeNode(MAX_AGE);

		process(context, submission("rl-fresh"), NOW);

		assertThat(dispatched(context)).containsExactly("rl-fresh");
		assertThat(context.committed()).isTrue();
	}

	@Test
	void shouldLeaveAnOldSubmissionToTheCommitInterval() {
		MockProcessorContext<String, Object> context = processorWithOneFreeNode(MAX_AGE);

		// the scheduler is behind: the record waited longer than an interval
		process(context, submission("rl-old"), NOW.minusSeconds(5));

		assertThat(dispatched(context)).containsExactly("rl-old");
		assertThat(context.committed()).isFalse();
	}

	@Test
	void shouldLeaveAFreshSubmissionThatOnlyQueuesToTheCommitInterval() {
		MockProcessorContext<String, Object> context = processorWithOneFreeNode(MAX_AGE);

		process(context, Jobs.aJob("rl-all-gpus").gang(1, 4).acceptedAt(NOW).submit(), NOW);
		context.resetForwards();
		context.resetCommit();

		// the node is full: nobody waits for a queued view
		process(context, submission("rl-queued"), NOW);

		assertThat(context.forwarded()).isNotEmpty();
		assertThat(dispatched(context)).isEmpty();
		assertThat(context.committed()).isFalse();
	}

	@Test
	void shouldNotCommitAtOnceWhenThePromptCommitIsOff() {
		MockProcessorContext<String, Object> context = processorWithOneFreeNode(null);

		process(context, submission("rl-off"), NOW);

		assertThat(dispatched(context)).containsExactly("rl-off");
		assertThat(context.committed()).isFalse();
	}

	private static Object submission(String jobId) {
		return Jobs.aJob(jobId).gang(1, 1).acceptedAt(NOW).submit();
	}

	/**
	 * A processor over one pool with one free 4-GPU node; what setting up forwarded and
	 * any commit it asked for are cleared.
	 */
	private MockProcessorContext<String, Object> processorWithOneFreeNode(Duration maxAge) {
		MockProcessorContext<String, Object> context = new MockProcessorContext<>(new Properties(), new TaskId(0, 0),
				this.stateDir.toFile());
		store(SchedulerTopology.STORE_JOBS, new JobRowSerde(), context);
		store(SchedulerTopology.STORE_QUEUE, Serdes.String(), context);
		store(SchedulerTopology.STORE_NODES, new io.raylane.topics.json.JsonSerde<>(NodeEntry.class), context);
		store(SchedulerTopology.STORE_TIMERS, Serdes.String(), context);
		store(SchedulerTopology.STORE_USAGE, Serdes.Integer(), context);
		SchedulerTopology.Settings settings = new SchedulerTopology.Settings("prompt-commit-test", this.stateDir, 32,
				Clock.fixed(NOW, ZoneOffset.UTC))
			.withPromptCommit(maxAge);
		PoolProcessor processor = new PoolProcessor(settings);
		processor.init(context);
		this.processor = processor;
		process(context, new NodeObserved(1, "node-1", "127.10.0.1", "default", true, 4, Map.of(), NOW), NOW);
		context.resetForwards();
		context.resetCommit();
		return context;
	}

	private void process(MockProcessorContext<String, Object> context, Object input, Instant timestamp) {
		PoolEvent event = PoolEvent.of(input);
		this.processor.process(new Record<>(event.pool(), event, timestamp.toEpochMilli()));
	}

	private static List<String> dispatched(MockProcessorContext<String, Object> context) {
		return context.forwarded()
			.stream()
			.map((forwarded) -> forwarded.record().value())
			.filter(DispatchCommand.class::isInstance)
			.map((command) -> ((DispatchCommand) command).jobId())
			.toList();
	}

	private <V> void store(String name, Serde<V> serde, MockProcessorContext<String, Object> context) {
		KeyValueStore<String, V> store = Stores
			.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), serde)
			.withLoggingDisabled()
			.build();
		store.init(context.getStateStoreContext(), store);
		context.addStateStore(store);
		this.stores.add(store);
	}

}
