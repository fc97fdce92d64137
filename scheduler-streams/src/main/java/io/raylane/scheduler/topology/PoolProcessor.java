package io.raylane.scheduler.topology;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.DispatchCommand;
import io.raylane.topics.job.JobView;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one processor per pool key: reads the inputs of the pools its task owns (read in
 * their partition or through the by-pool repartition topic), lets the
 * {@link PoolScheduler} fold the record into the stores, and forwards what it produced
 * (JobViews, NodeViews, dispatch commands). Under {@code exactly_once_v2} the store
 * changes, the outputs and the input offset commit together.
 */
final class PoolProcessor implements Processor<String, PoolEvent, String, Object> {

	private static final Logger log = LoggerFactory.getLogger(PoolProcessor.class);

	/** How often time-driven fleet rules (drain deadlines, lost nodes) are checked. */
	static final java.time.Duration FLEET_TICK = java.time.Duration.ofSeconds(5);

	private final SchedulerTopology.Settings settings;

	private ProcessorContext<String, Object> context;

	private PoolScheduler scheduler;

	private final RecordSizeGuard guard;

	PoolProcessor(SchedulerTopology.Settings settings) {
		this.settings = settings;
		this.guard = settings.recordGuard();
	}

	@Override
	public void init(ProcessorContext<String, Object> context) {
		this.context = context;
		SchedulerStores stores = new SchedulerStores(context.getStateStore(SchedulerTopology.STORE_JOBS),
				context.getStateStore(SchedulerTopology.STORE_QUEUE),
				context.getStateStore(SchedulerTopology.STORE_NODES),
				context.getStateStore(SchedulerTopology.STORE_TIMERS),
				context.getStateStore(SchedulerTopology.STORE_USAGE));
		ClusterUsage usage = new ClusterUsage(stores, context.getStateStore(SchedulerTopology.GLOBAL_USAGE));
		this.scheduler = new PoolScheduler(stores, usage, this.settings);
		// timeouts fire on wall-clock time, from the deadline index (not a scan of every
		// job)
		context.schedule(this.settings.policy().timeoutCheckInterval(), PunctuationType.WALL_CLOCK_TIME,
				(timestamp) -> punctuate(timestamp));
		// fleet issue: drain deadlines and lost nodes are due with time, also in a pool
		// where nothing happens
		context.schedule(FLEET_TICK, PunctuationType.WALL_CLOCK_TIME, (timestamp) -> {
			Outbox out = new Outbox();
			this.scheduler.tick(out);
			forward(out, (key, value) -> new Record<>(key, value, timestamp));
		});
	}

	private void punctuate(long timestamp) {
		Outbox out = new Outbox();
		this.scheduler.punctuate(out);
		forward(out, (key, value) -> new Record<>(key, value, timestamp));
	}

	@Override
	public void process(Record<String, PoolEvent> record) {
		Outbox out = new Outbox();
		long start = System.nanoTime();
		try {
			this.scheduler.handle(record.value().event(), out);
		}
		catch (RuntimeException ex) {
			// a record that breaks the scheduler must not stop the pool: replaying it
			// would break it again
			log.error("could not schedule {} of pool {}", record.value().event(), record.key(), ex);
			out.deadLetter(record.key(), deadLetter(record, ex));
		}
		// the record's key is its pool (InputReader re-keys every input)
		this.settings.metrics().decided(record.key(), System.nanoTime() - start);
		forward(out, (key, value) -> record.withKey(key).withValue(value));
		if (this.settings.promptCommit().wanted(out.urgent(), record.timestamp(), this.settings.clock().millis())) {
			this.context.commit();
		}
	}

	/**
	 * Forwards what a record or timer produced, each output checked by the
	 * {@link RecordSizeGuard} first. Issue 12: a job whose view or dispatch record the
	 * broker would refuse is ended with the reason instead (REJECTED while queued, FAILED
	 * once it holds GPUs), and nothing more of it is sent; a refused send would abort the
	 * transaction and replay the input forever.
	 */
	private void forward(Outbox out, BiFunction<String, Object, Record<String, Object>> record) {
		Outbox endings = new Outbox();
		Set<String> ended = new HashSet<>();
		out.forEach((key, value) -> {
			String jobId = jobIdOf(value);
			if (jobId != null && ended.contains(jobId)) {
				return;
			}
			Optional<String> problem = this.guard.problem(key, value);
			if (problem.isEmpty()) {
				this.context.forward(record.apply(key, value));
				return;
			}
			log.error("job {} cannot be written: {}; ending it", jobId, problem.get());
			ended.add(jobId);
			try {
				this.scheduler.endUnwritable(jobId, problem.get(), value instanceof JobView, endings);
			}
			catch (RuntimeException ex) {
				// the record is not sent either way: never let it stop the stream thread
				log.error("could not end job {}", jobId, ex);
			}
		});
		endings.forEach((key, value) -> {
			Optional<String> problem = this.guard.problem(key, value);
			if (problem.isPresent()) {
				log.error("dropped the record of job {} that ends it: {}", jobIdOf(value), problem.get());
			}
			else {
				this.context.forward(record.apply(key, value));
			}
		});
	}

	private static String jobIdOf(Object value) {
		if (value instanceof JobView view) {
			return view.jobId();
		}
		return (value instanceof DispatchCommand command) ? command.jobId() : null;
	}

	private DeadLetter deadLetter(Record<String, PoolEvent> record, RuntimeException ex) {
		RecordMetadata meta = this.context.recordMetadata().orElse(null);
		byte[] value = SchedulerTopology.POOL_EVENT_SERDE.serializer().serialize(null, record.value());
		return DeadLetter.of((meta != null) ? meta.topic() : Topics.JOB_COMMANDS.name(),
				(meta != null) ? meta.partition() : -1, (meta != null) ? meta.offset() : -1, record.key(), value,
				DeadLetter.reasonOf(ex), this.settings.applicationId(), this.settings.clock().instant());
	}

}
