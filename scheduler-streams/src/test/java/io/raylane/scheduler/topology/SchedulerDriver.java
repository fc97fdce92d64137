package io.raylane.scheduler.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raylane.topics.TestClock;
import io.raylane.topics.Topic;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.DispatchCommand;
import io.raylane.topics.events.JobLost;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.NodeCommand;
import io.raylane.topics.events.NodeEvent;
import io.raylane.topics.events.NodeObserved;
import io.raylane.topics.events.StopJob;
import io.raylane.topics.events.SubmitJob;
import io.raylane.topics.events.SubmitResult;
import io.raylane.topics.job.JobView;
import io.raylane.topics.node.NodeView;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Test fixture: the real topology in a {@link TopologyTestDriver} (exactly_once_v2,
 * in-memory stores: RocksDB and its restore are the slow tier's SchedulerApplicationTest
 * and CrashRecoveryTest), with typed inputs and the outputs collected as they appear.
 */
final class SchedulerDriver implements AutoCloseable {

	static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");

	static final String POOL = "default";

	private final TopologyTestDriver driver;

	/** Stands still at NOW unless a test advances it (the fleet's time-driven rules). */

	private final Map<Topic<String, ?>, TestInputTopic<String, byte[]>> inputs = new LinkedHashMap<>();

	private final TestOutputTopic<String, JobView> jobStates;

	private final TestOutputTopic<String, NodeView> nodeStates;

	private final TestOutputTopic<String, DispatchCommand> dispatch;

	private final TestOutputTopic<String, DeadLetter> deadLetters;

	/** Every JobView published so far, in order. */
	final List<JobView> jobViews = new ArrayList<>();

	final List<NodeView> nodeViews = new ArrayList<>();

	final List<DispatchCommand> commands = new ArrayList<>();

	final List<DeadLetter> letters = new ArrayList<>();

	private final TestClock clock = new TestClock(NOW);

	final List<NodeCommand> nodeCommands = new ArrayList<>();

	private final TestOutputTopic<String, NodeCommand> nodeCommandOutput;

	/**
	 * Where the topology records its meters (decision times, job waits, the Ray-head
	 * cap).
	 */
	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	SchedulerDriver(Path stateDir, Path sharedRoot) {
		this(stateDir, sharedRoot, SchedulingPolicy.defaults());
	}

	SchedulerDriver(Path stateDir, Path sharedRoot, SchedulingPolicy policy) {
		this(stateDir, sharedRoot, policy, RecordSizeGuard.kafkaDefaults());
	}

	/** With a guard that knows smaller topics than Kafka's defaults (issue 12). */
	SchedulerDriver(Path stateDir, Path sharedRoot, SchedulingPolicy policy, RecordSizeGuard guard) {
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, "raylane-scheduler");
		config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
		config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
		config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
		this.driver = new TopologyTestDriver(SchedulerTopology
			.build(new SchedulerTopology.Settings("raylane-scheduler", sharedRoot, 32, this.clock, policy)
				.withMetrics(new SchedulerMetrics(this.meters, policy.maxActiveRayJobs()))
				.withRecordGuard(guard), SchedulerTopology.StoreKind.IN_MEMORY), config, NOW);
		for (Topic<String, ?> topic : List.of(Topics.JOB_COMMANDS, Topics.NODE_EVENTS, Topics.RAY_OBSERVATIONS,
				Topics.SUBMIT_RESULTS)) {
			this.inputs.put(topic,
					this.driver.createInputTopic(topic.name(), new StringSerializer(), new ByteArraySerializer()));
		}
		this.jobStates = output(Topics.JOB_STATES);
		this.nodeStates = output(Topics.NODE_STATES);
		this.dispatch = output(Topics.DISPATCH);
		this.deadLetters = output(Topics.DEAD_LETTERS);
		this.nodeCommandOutput = output(Topics.NODE_COMMANDS);
	}

	/**
	 * Any record of raylane.node-events (fleet: registrations, drains, the node-agent's
	 * reports).
	 */
	void nodeEvent(NodeEvent event) {
		pipe(Topics.NODE_EVENTS, event.nodeId(), event);
	}

	void submit(SubmitJob command) {
		pipe(Topics.JOB_COMMANDS, command.jobId(), command);
	}

	void stop(String jobId, String by) {
		pipe(Topics.JOB_COMMANDS, jobId, new StopJob(jobId, POOL, by, "user", NOW));
	}

	void node(String nodeId, int gpus, boolean alive) {
		node(POOL, nodeId, gpus, alive);
	}

	void node(String pool, String nodeId, int gpus, boolean alive) {
		pipe(Topics.NODE_EVENTS, nodeId,
				new NodeObserved(1, nodeId, "ip-of-" + nodeId, pool, alive, gpus, Map.of("zone", "a"), NOW));
	}

	void observe(String jobId, String rayStatus, Long startMs, Long endMs, Integer exitCode, String message) {
		observe(POOL, jobId, rayStatus, startMs, endMs, exitCode, message);
	}

	void observe(String pool, String jobId, String rayStatus, Long startMs, Long endMs, Integer exitCode,
			String message) {
		pipe(Topics.RAY_OBSERVATIONS, jobId,
				new JobObserved(1, jobId, pool, rayStatus, "127.10.0.7", startMs, endMs, exitCode, message, null, NOW));
	}

	/** Any observation of a job, as the observer publishes it. */
	void observed(JobObserved observed) {
		pipe(Topics.RAY_OBSERVATIONS, observed.jobId(), observed);
	}

	/** The observer reports that Ray no longer knows the job. */
	void lost(JobLost lost) {
		pipe(Topics.RAY_OBSERVATIONS, lost.jobId(), lost);
	}

	/** Moves the scheduler's clock and Streams' wall clock on, firing due punctuators. */
	void advance(Duration duration) {
		this.clock.advance(duration);
		this.driver.advanceWallClockTime(duration);
		collect();
	}

	Instant now() {
		return this.clock.instant();
	}

	void result(SubmitResult result) {
		pipe(Topics.SUBMIT_RESULTS, result.jobId(), result);
	}

	void pipeRaw(Topic<String, ?> topic, String key, byte[] value) {
		this.inputs.get(topic).pipeInput(key, value);
		collect();
	}

	/** The latest published view of {@code jobId}. */
	JobView job(String jobId) {
		return this.jobViews.stream()
			.filter((v) -> v.jobId().equals(jobId))
			.reduce((a, b) -> b)
			.orElseThrow(() -> new AssertionError("no JobView for " + jobId));
	}

	NodeView nodeView(String nodeId) {
		return this.nodeViews.stream()
			.filter((v) -> v.nodeId().equals(nodeId))
			.reduce((a, b) -> b)
			.orElseThrow(() -> new AssertionError("no NodeView for " + nodeId));
	}

	List<DispatchCommand> commandsFor(String jobId) {
		return this.commands.stream().filter((c) -> c.jobId().equals(jobId)).toList();
	}

	@Override
	public void close() {
		this.driver.close();
	}

	@SuppressWarnings("unchecked")
	private <V> void pipe(Topic<String, V> topic, String key, Object value) {
		pipeRaw(topic, key, topic.valueSerde().serializer().serialize(topic.name(), (V) value));
	}

	/**
	 * Collects the outputs, checking each state and command is keyed by its subject's id.
	 */
	private void collect() {
		this.jobStates.readKeyValuesToList()
			.forEach((kv) -> this.jobViews.add(keyed(kv.key, kv.value.jobId(), kv.value)));
		this.nodeStates.readKeyValuesToList()
			.forEach((kv) -> this.nodeViews.add(keyed(kv.key, kv.value.nodeId(), kv.value)));
		this.dispatch.readKeyValuesToList()
			.forEach((kv) -> this.commands.add(keyed(kv.key, kv.value.jobId(), kv.value)));
		this.deadLetters.readKeyValuesToList().forEach((kv) -> this.letters.add(kv.value));
		this.nodeCommandOutput.readKeyValuesToList()
			.forEach((kv) -> this.nodeCommands.add(keyed(kv.key, kv.value.nodeId(), kv.value)));
	}

	/** A clock the test moves by hand. */

	private static <V> V keyed(String key, String id, V value) {
		if (!id.equals(key)) {
			throw new AssertionError("record keyed " + key + " instead of " + id + ": " + value);
		}
		return value;
	}

	private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
		return this.driver.createOutputTopic(topic.name(), new StringDeserializer(), topic.valueSerde().deserializer());
	}

}
