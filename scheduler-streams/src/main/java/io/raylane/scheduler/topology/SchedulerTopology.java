package io.raylane.scheduler.topology;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.raylane.topics.Topic;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.DispatchCommand;
import io.raylane.topics.events.NodeCommand;
import io.raylane.topics.job.JobView;
import io.raylane.topics.json.JsonSerde;
import io.raylane.topics.node.NodeView;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The scheduler's topology. Reads {@code raylane.job-commands},
 * {@code raylane.node-events}, {@code raylane.ray-observations} and
 * {@code raylane.submit-results}; a record read in the partition that owns its pool is
 * scheduled where it is read, any other is re-keyed by its pool through one repartition
 * topic; one processor per pool owns the job table, the FIFO queue index and the node
 * table; writes {@code raylane.dispatch}, {@code raylane.job-states},
 * {@code raylane.node-states}, {@code raylane.node-commands} (provision / stop Ray on
 * registered nodes) and {@code raylane.dead-letters}. Store, repartition and processor
 * names are constants so the internal topic names
 * ({@code <application.id>-<store>-changelog},
 * {@code <application.id>-by-pool-repartition}) never shift.
 */
public final class SchedulerTopology {

	/** Job table: job id → {@link JobEntry}. */
	public static final String STORE_JOBS = "jobs";

	/**
	 * FIFO queue index: {@code <pool>|<acceptedAt>|<jobId>} → job id, QUEUED jobs only.
	 */
	public static final String STORE_QUEUE = "queue";

	/** Node table: {@code <pool>|<nodeId>} → {@link NodeEntry}. */
	public static final String STORE_NODES = "nodes";

	/** Deadline index: {@code <epoch ms>|<jobId>} → timer kind ({@link Timers}). */
	public static final String STORE_TIMERS = "timers";

	/**
	 * Per-pool usage counters: {@code active|<pool>}, {@code gpus|<pool>|<user>}
	 * ({@link UsageCount}).
	 */
	public static final String STORE_USAGE = "usage";

	/**
	 * Every pool's usage counters, read from {@code <application.id>-usage}
	 * ({@link ClusterUsage}).
	 */
	public static final String GLOBAL_USAGE = "cluster-usage";

	/**
	 * Name of the by-pool repartition (topic
	 * {@code <application.id>-by-pool-repartition}).
	 */
	public static final String REPARTITION_BY_POOL = "by-pool";

	/**
	 * Partitions of the by-pool repartition topic: the pools hashing to partition
	 * {@code p} ({@link io.raylane.topics.partition.PoolPartitions}) are scheduled by
	 * task {@code p}.
	 */
	static final int BY_POOL_PARTITIONS = Topics.DEFAULT_PARTITIONS;

	/** Name of the pool processor. */
	public static final String POOL_PROCESSOR = "pool-scheduler";

	static final Serde<PoolEvent> POOL_EVENT_SERDE = new JsonSerde<>(PoolEvent.class);

	private SchedulerTopology() {
	}

	/**
	 * What the topology needs besides Kafka.
	 *
	 * @param applicationId the Streams application id, recorded as the consumer of dead
	 * letters
	 * @param sharedRoot the shared storage root; job directories are
	 * {@code <root>/jobs/<jobId>}
	 * @param planWindow how many queued jobs a planning cycle looks at (bounds the cost
	 * per event)
	 * @param clock the source of "now"
	 * @param poolEnv per pool, the default environment of its jobs (NCCL / IB variables),
	 * under each job's env
	 * @param policy the scheduling policy (timeouts, quotas, Ray-head cap)
	 * @param metrics where decision times and job waits are recorded
	 * ({@link SchedulerMetrics#none()} when null)
	 * @param readOnlyRoots folders any user's model and data paths may name
	 * @param recordGuard the size each output topic takes, checked before a record is
	 * forwarded (Kafka's defaults when null)
	 * @param promptCommit when a decision is committed at once instead of at the commit
	 * interval ({@link PromptCommit#never()} when null)
	 */
	public record Settings(String applicationId, Path sharedRoot, int planWindow, Clock clock,
			Map<String, Map<String, String>> poolEnv, SchedulingPolicy policy, SchedulerMetrics metrics,
			List<Path> readOnlyRoots, RecordSizeGuard recordGuard, PromptCommit promptCommit) {

		public Settings {
			if (planWindow < 1) {
				throw new IllegalArgumentException("planWindow must be at least 1");
			}
			poolEnv = (poolEnv != null) ? Map.copyOf(poolEnv) : Map.of();
			policy = (policy != null) ? policy : SchedulingPolicy.defaults();
			metrics = (metrics != null) ? metrics : SchedulerMetrics.none();
			readOnlyRoots = (readOnlyRoots != null) ? List.copyOf(readOnlyRoots) : List.of();
			recordGuard = (recordGuard != null) ? recordGuard : RecordSizeGuard.kafkaDefaults();
			promptCommit = (promptCommit != null) ? promptCommit : PromptCommit.never();
		}

		public Settings(String applicationId, Path sharedRoot, int planWindow, Clock clock,
				Map<String, Map<String, String>> poolEnv, SchedulingPolicy policy, SchedulerMetrics metrics,
				List<Path> readOnlyRoots, RecordSizeGuard recordGuard) {
			this(applicationId, sharedRoot, planWindow, clock, poolEnv, policy, metrics, readOnlyRoots, recordGuard,
					null);
		}

		public Settings(String applicationId, Path sharedRoot, int planWindow, Clock clock,
				Map<String, Map<String, String>> poolEnv, SchedulingPolicy policy, SchedulerMetrics metrics,
				List<Path> readOnlyRoots) {
			this(applicationId, sharedRoot, planWindow, clock, poolEnv, policy, metrics, readOnlyRoots, null);
		}

		public Settings(String applicationId, Path sharedRoot, int planWindow, Clock clock,
				Map<String, Map<String, String>> poolEnv, SchedulingPolicy policy, SchedulerMetrics metrics) {
			this(applicationId, sharedRoot, planWindow, clock, poolEnv, policy, metrics, null);
		}

		public Settings(String applicationId, Path sharedRoot, int planWindow, Clock clock,
				Map<String, Map<String, String>> poolEnv, SchedulingPolicy policy) {
			this(applicationId, sharedRoot, planWindow, clock, poolEnv, policy, null);
		}

		public Settings(String applicationId, Path sharedRoot, int planWindow, Clock clock) {
			this(applicationId, sharedRoot, planWindow, clock, Map.of(), SchedulingPolicy.defaults());
		}

		public Settings(String applicationId, Path sharedRoot, int planWindow, Clock clock, SchedulingPolicy policy) {
			this(applicationId, sharedRoot, planWindow, clock, Map.of(), policy);
		}

		public Settings withPolicy(SchedulingPolicy next) {
			return new Settings(this.applicationId, this.sharedRoot, this.planWindow, this.clock, this.poolEnv, next,
					this.metrics, this.readOnlyRoots, this.recordGuard, this.promptCommit);
		}

		public Settings withMetrics(SchedulerMetrics next) {
			return new Settings(this.applicationId, this.sharedRoot, this.planWindow, this.clock, this.poolEnv,
					this.policy, next, this.readOnlyRoots, this.recordGuard, this.promptCommit);
		}

		/**
		 * The same settings with {@code raylane.shared.read-only-roots}: folders any
		 * user's model and data paths may name.
		 */
		public Settings withReadOnlyRoots(List<Path> next) {
			return new Settings(this.applicationId, this.sharedRoot, this.planWindow, this.clock, this.poolEnv,
					this.policy, this.metrics, next, this.recordGuard, this.promptCommit);
		}

		/**
		 * The same settings with the guard that knows what each output topic takes
		 * (shared with the Streams' {@link RecordRefusedHandler}).
		 */
		public Settings withRecordGuard(RecordSizeGuard next) {
			return new Settings(this.applicationId, this.sharedRoot, this.planWindow, this.clock, this.poolEnv,
					this.policy, this.metrics, this.readOnlyRoots, next, this.promptCommit);
		}

		/**
		 * The same settings with decisions committed at once while the scheduler keeps
		 * up: a record younger than {@code maxAge} that dispatched or ended a job commits
		 * its transaction right after it ({@link PromptCommit}); null = only at the
		 * commit interval.
		 */
		public Settings withPromptCommit(java.time.Duration maxAge) {
			return new Settings(this.applicationId, this.sharedRoot, this.planWindow, this.clock, this.poolEnv,
					this.policy, this.metrics, this.readOnlyRoots, this.recordGuard, new PromptCommit(maxAge));
		}

		/**
		 * The compacted internal topic of usage counters, {@code <application.id>-usage}.
		 */
		public String usageTopic() {
			return SchedulerTopology.usageTopic(this.applicationId);
		}

	}

	public static String usageTopic(String applicationId) {
		return applicationId + "-usage";
	}

	/**
	 * Where the job table keeps its state. Every store is changelogged, so a running
	 * service restores from Kafka either way.
	 */
	public enum StoreKind {

		/**
		 * The job table in RocksDB under the state directory, checkpointed: it grows with
		 * the history of jobs, so it lives on disk and survives a restart without
		 * replaying its changelog. The service's kind.
		 */
		PERSISTENT,

		/**
		 * The job table on the heap too: the TopologyTestDriver tests of the fast tier,
		 * where RocksDB's native start-up costs more than the logic under test.
		 */
		IN_MEMORY

	}

	/** The service's topology, its job table on {@link StoreKind#PERSISTENT}. */
	public static Topology build(Settings settings) {
		return build(settings, StoreKind.PERSISTENT);
	}

	/** The topology, its job table of the given kind. */
	public static Topology build(Settings settings, StoreKind jobTable) {
		KeyValueBytesStoreSupplier jobs = (jobTable == StoreKind.PERSISTENT)
				? Stores.persistentKeyValueStore(STORE_JOBS) : Stores.inMemoryKeyValueStore(STORE_JOBS);
		StreamsBuilder builder = new StreamsBuilder();
		// the rows' bytes are JsonSerde<JobEntry>'s; their views are encoded once with
		// the
		// views published (issue 17 goal 4)
		builder.addStateStore(Stores.keyValueStoreBuilder(jobs, Serdes.String(), new JobRowSerde()));
		// the other stores are bounded by what is alive (queued jobs, nodes, pending
		// deadlines, per-user counters), not by history: on the heap, restored from
		// their changelogs at start. On RocksDB every exactly-once commit flushed each
		// written store to a new SST file with its fsyncs, and that flush, not the
		// decision, was most of a hop (issue 17)
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE_QUEUE), Serdes.String(),
				Serdes.String()));
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE_NODES), Serdes.String(),
				new JsonSerde<>(NodeEntry.class)));
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE_TIMERS), Serdes.String(),
				Serdes.String()));
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE_USAGE), Serdes.String(),
				Serdes.Integer()));
		builder
			.addGlobalStore(
					Stores
						.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(GLOBAL_USAGE), Serdes.String(),
								Serdes.Integer())
						.withLoggingDisabled(),
					settings.usageTopic(), Consumed.with(Serdes.String(), Serdes.Integer()).withName("source-usage"),
					GlobalUsageUpdater::new);

		// 1. read the four inputs as bytes; unreadable or pool-less records become dead
		// letters
		KStream<String, Object> inputs = read(builder, Topics.JOB_COMMANDS, "job-commands", settings)
			.merge(read(builder, Topics.NODE_EVENTS, "node-events", settings), Named.as("merge-node-events"))
			.merge(read(builder, Topics.RAY_OBSERVATIONS, "ray-observations", settings),
					Named.as("merge-ray-observations"))
			.merge(read(builder, Topics.SUBMIT_RESULTS, "submit-results", settings), Named.as("merge-submit-results"));
		Map<String, KStream<String, Object>> input = inputs.split(Named.as("input-"))
			.branch((key, value) -> value instanceof DeadLetter, Branched.as("dead-letters"))
			.branch((key, value) -> ((RoutedEvent) value).owned(), Branched.as("owned"))
			.defaultBranch(Branched.as("elsewhere"));
		write(input.get("input-dead-letters"), Topics.DEAD_LETTERS, "input-dead-letters");

		// 2. an input read in the partition that owns its pool is scheduled here; any
		// other is re-keyed by pool through the repartition topic, one exactly-once hop
		// more (issue 17: the writers place their records by pool, so only records of
		// older writers, tests or a topic of another partition count take it). Both
		// streams meet in one sub-topology: task p reads partition p of every input
		// and of the repartition topic, and owns the pools hashing to p.
		KStream<String, PoolEvent> owned = input.get("input-owned")
			.mapValues((value) -> ((RoutedEvent) value).event(), Named.as("as-owned-pool-event"));
		KStream<String, PoolEvent> rerouted = input.get("input-elsewhere")
			.mapValues((value) -> ((RoutedEvent) value).event(), Named.as("as-pool-event"))
			.repartition(Repartitioned.<String, PoolEvent>as(REPARTITION_BY_POOL)
				.withKeySerde(Serdes.String())
				.withValueSerde(POOL_EVENT_SERDE)
				.withNumberOfPartitions(BY_POOL_PARTITIONS));

		// 3. one processor per pool owns the stores
		KStream<String, Object> outputs = owned.merge(rerouted, Named.as("merge-by-pool"))
			.process(() -> new PoolProcessor(settings), Named.as(POOL_PROCESSOR), STORE_JOBS, STORE_QUEUE, STORE_NODES,
					STORE_TIMERS, STORE_USAGE);

		// 4. route what the pool processor produced to its topic
		Map<String, KStream<String, Object>> output = outputs.split(Named.as("output-"))
			.branch((key, value) -> value instanceof JobView, Branched.as("job-states"))
			.branch((key, value) -> value instanceof NodeView, Branched.as("node-states"))
			.branch((key, value) -> value instanceof DispatchCommand, Branched.as("dispatch"))
			.branch((key, value) -> value instanceof DeadLetter, Branched.as("dead-letters"))
			.branch((key, value) -> value instanceof UsageCount, Branched.as("usage"))
			.branch((key, value) -> value instanceof NodeCommand, Branched.as("node-commands"))
			.noDefaultBranch();
		write(output.get("output-job-states"), Topics.JOB_STATES, "job-states");
		write(output.get("output-node-states"), Topics.NODE_STATES, "node-states");
		write(output.get("output-dispatch"), Topics.DISPATCH, "dispatch");
		write(output.get("output-dead-letters"), Topics.DEAD_LETTERS, "scheduler-dead-letters");
		output.get("output-usage")
			.mapValues((value) -> ((UsageCount) value).value(), Named.as("as-usage"))
			.to(settings.usageTopic(), Produced.with(Serdes.String(), Serdes.Integer()).withName("sink-usage"));
		write(output.get("output-node-commands"), Topics.NODE_COMMANDS, "node-commands");
		return builder.build();
	}

	private static KStream<String, Object> read(StreamsBuilder builder, Topic<String, ?> topic, String name,
			Settings settings) {
		return builder
			.stream(topic.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("source-" + name))
			.process(() -> new InputReader(topic, settings.applicationId(), settings.clock(), BY_POOL_PARTITIONS),
					Named.as("read-" + name));
	}

	/**
	 * Sends a stream to its topic; a JobView or dispatch record goes with the bytes it
	 * was measured or stored with ({@link KeptBytesSerde}), the same bytes the topic's
	 * serde writes.
	 */
	@SuppressWarnings("unchecked")
	private static <V> void write(KStream<String, Object> stream, Topic<String, V> topic, String name) {
		stream.mapValues((value) -> (V) value, Named.as("as-" + name))
			.to(topic.name(), Produced.with(topic.keySerde(), sinkSerde(topic)).withName("sink-" + name));
	}

	/** The serde the topology sends {@code topic}'s records with. */
	static <V> Serde<V> sinkSerde(Topic<String, V> topic) {
		return new KeptBytesSerde<>(topic);
	}

}
