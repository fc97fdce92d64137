package io.raylane.scheduler.topology;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import io.raylane.scheduler.core.JobViews;
import io.raylane.topics.Jobs;
import io.raylane.topics.Topic;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.DispatchCommand;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.NodeObserved;
import io.raylane.topics.events.SubmitJob;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.job.JobView;
import io.raylane.topics.node.NodeView;
import io.raylane.topics.json.JsonSerde;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Benchmark fixture (not a test): the pool scheduler itself
 * ({@link PoolScheduler#handle}, with its stores, planner and outbox) over the service's
 * stores (the job table in RocksDB, the others on the heap), without Kafka or a test
 * driver around it. One pool of {@code nodes} 8-GPU nodes all busy with running 1x8 jobs,
 * {@code queued} 1x8 jobs waiting; each measured event is a running job ending, which
 * frees a node for the next queued job. The Ray-head cap is lifted so every node runs a
 * job.
 */
public final class HandlerBench implements AutoCloseable {

	private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

	static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private final PoolScheduler scheduler;

	private final KeyValueStore<?, ?>[] stores;

	private final int initialRunning;

	private int running;

	private final SteppingClock clock = new SteppingClock();

	private final boolean spread;

	/** See {@link #HandlerBench(Path, int, int, boolean, boolean)}. */
	private final boolean outputs;

	private final RecordSizeGuard guard = RecordSizeGuard.kafkaDefaults();

	/**
	 * @param spreadDeadlines when true the clock moves on (a second per job started at
	 * set-up, 10 ms per measured event), so the running jobs' deadlines differ as on a
	 * real cluster; when false every job starts at one instant and every deadline is the
	 * same, the worst case for the planner's reservation sweep (it reads every release)
	 */
	public HandlerBench(Path stateDir, int nodes, int queued, boolean spreadDeadlines) {
		this(stateDir, nodes, queued, spreadDeadlines, false);
	}

	/**
	 * @param outputs when true each event's outputs are also measured and encoded as the
	 * topology sends them ({@link PoolProcessor}'s size guard, then each sink's
	 * serializer), inside the timed part: what the service does per event beyond the
	 * handler (the broker's I/O still excluded)
	 */
	public HandlerBench(Path stateDir, int nodes, int queued, boolean spreadDeadlines, boolean outputs) {
		this.spread = spreadDeadlines;
		this.outputs = outputs;
		MockProcessorContext<String, Object> context = new MockProcessorContext<>(new java.util.Properties(),
				new org.apache.kafka.streams.processor.TaskId(0, 0), stateDir.toFile());
		// the service's serdes
		KeyValueStore<String, JobEntry> jobs = store(SchedulerTopology.STORE_JOBS, new JobRowSerde(), context, true);
		KeyValueStore<String, String> queue = store(SchedulerTopology.STORE_QUEUE, Serdes.String(), context, false);
		KeyValueStore<String, NodeEntry> nodeTable = store(SchedulerTopology.STORE_NODES,
				new JsonSerde<>(NodeEntry.class), context, false);
		KeyValueStore<String, String> timers = store(SchedulerTopology.STORE_TIMERS, Serdes.String(), context, false);
		KeyValueStore<String, Integer> usage = store(SchedulerTopology.STORE_USAGE, Serdes.Integer(), context, false);
		this.stores = new KeyValueStore<?, ?>[] { jobs, queue, nodeTable, timers, usage };
		SchedulerStores schedulerStores = new SchedulerStores(jobs, queue, nodeTable, timers, usage);
		Clock clock = this.clock;
		this.scheduler = new PoolScheduler(schedulerStores, new ClusterUsage(schedulerStores, null),
				new SchedulerTopology.Settings("bench", stateDir, 32, clock,
						SchedulingPolicy.defaults().withMaxActiveRayJobs(Integer.MAX_VALUE)));
		this.initialRunning = nodes;
		for (int i = 0; i < nodes; i++) {
			String id = String.format("node-%05d", i);
			this.scheduler.handle(new NodeObserved(1, id, "127.10.0.1", "default", true, 8, Map.of(), NOW),
					new Outbox());
		}
		for (int i = 0; i < nodes; i++) {
			this.scheduler.handle(Jobs.aJob(String.format("run-%05d", i)).gang(1, 8).acceptedAt(NOW).submit(),
					new Outbox());
			step(Duration.ofSeconds(1));
		}
		for (int i = 0; i < queued; i++) {
			SubmitJob submit = Jobs.aJob(String.format("q-%07d", i)).gang(1, 8).acceptedAt(NOW.plusMillis(i)).submit();
			JobView view = JobViews.queued(JobViews.accepted(submit, stateDir.resolve(submit.jobId()).toString(), NOW),
					null, NOW);
			// through the stores, as the scheduler enqueues: the queue index is mirrored
			// in
			// memory, so a job written to RocksDB alone would never be seen
			schedulerStores.put(new JobEntry(view, null));
			schedulerStores.enqueue(view);
		}
	}

	/**
	 * Ends the next running job; returns {nanoseconds the event took, jobs dispatched,
	 * CPU nanoseconds this thread spent on it}. The CPU time is what a busy machine does
	 * not distort: wall time also counts the moments other processes held the core.
	 */
	public long[] finishOne() {
		int n = this.running++;
		String jobId = (n < this.initialRunning) ? String.format("run-%05d", n)
				: String.format("q-%07d", n - this.initialRunning);
		JobObserved done = new JobObserved(1, jobId, "default", "SUCCEEDED", "127.10.0.1", NOW.toEpochMilli(),
				NOW.toEpochMilli() + 1, 0, "done", null, NOW);
		Outbox out = new Outbox();
		step(Duration.ofMillis(10));
		long cpuStart = CPU.getCurrentThreadCpuTime();
		long start = System.nanoTime();
		this.scheduler.handle(done, out);
		if (this.outputs) {
			send(out);
		}
		long took = System.nanoTime() - start;
		long cpu = CPU.getCurrentThreadCpuTime() - cpuStart;
		long[] dispatched = { 0 };
		out.forEach((key, value) -> {
			if (value instanceof SubmitToRay) {
				dispatched[0]++;
			}
		});
		return new long[] { took, dispatched[0], cpu };
	}

	/** What {@link PoolProcessor#forward} and the sinks do with an event's outputs. */
	private void send(Outbox out) {
		out.forEach((key, value) -> {
			if (this.guard.problem(key, value).isPresent()) {
				throw new IllegalStateException("the benchmark's records must fit their topics");
			}
			byte[] bytes = sink(value);
			if (bytes == null || bytes.length == 0) {
				throw new IllegalStateException("nothing encoded for " + value);
			}
		});
	}

	@SuppressWarnings("unchecked")
	private static byte[] sink(Object value) {
		if (value instanceof UsageCount count) {
			return Serdes.Integer().serializer().serialize("usage", count.value());
		}
		Topic<String, Object> topic = (Topic<String, Object>) (Topic<String, ?>) ((value instanceof JobView)
				? Topics.JOB_STATES
				: (value instanceof NodeView) ? Topics.NODE_STATES : (value instanceof DispatchCommand)
						? Topics.DISPATCH : (value instanceof DeadLetter) ? Topics.DEAD_LETTERS : Topics.NODE_COMMANDS);
		return SchedulerTopology.sinkSerde(topic).serializer().serialize(topic.name(), value);
	}

	private void step(Duration by) {
		if (this.spread) {
			this.clock.advance(by);
		}
	}

	/** A clock the benchmark moves by hand. */
	private static final class SteppingClock extends Clock {

		private Instant now = NOW;

		void advance(Duration by) {
			this.now = this.now.plus(by);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

	/**
	 * A store of the service's kind: RocksDB for the job table, the heap for the rest.
	 */
	private static <V> KeyValueStore<String, V> store(String name, Serde<V> serde,
			MockProcessorContext<String, Object> context, boolean persistent) {
		KeyValueStore<String, V> store = Stores
			.keyValueStoreBuilder(
					persistent ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name),
					Serdes.String(), serde)
			.withLoggingDisabled()
			.build();
		store.init(context.getStateStoreContext(), store);
		return store;
	}

	@Override
	public void close() {
		for (KeyValueStore<?, ?> store : this.stores) {
			store.close();
		}
	}

}
