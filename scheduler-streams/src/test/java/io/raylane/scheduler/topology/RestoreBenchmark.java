package io.raylane.scheduler.topology;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.raylane.scheduler.core.JobViews;
import io.raylane.topics.Jobs;
import io.raylane.topics.TopicCreator;
import io.raylane.topics.Topics;
import io.raylane.topics.events.SubmitJob;
import io.raylane.topics.job.JobView;
import io.raylane.topics.json.JsonSerde;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Benchmark (not a test): how long a scheduler holding {@code jobs} queued jobs takes to
 * come back. On a real KRaft broker it fills the job table's and queue index's changelogs
 * (as a long-running scheduler leaves them), then starts the topology on an empty state
 * directory (a new machine: full restore from the changelogs) and again on the kept
 * directory (a restart: checkpointed state), timing each until RUNNING.
 */
public final class RestoreBenchmark {

	private static final String APP = "raylane-scheduler";

	private RestoreBenchmark() {
	}

	public static void run(Path dir, int jobs) throws Exception {
		EmbeddedKafkaBroker broker = new EmbeddedKafkaKraftBroker(1, Topics.DEFAULT_PARTITIONS)
			.brokerProperties(Map.of("transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr",
					"1", "auto.create.topics.enable", "false"));
		broker.afterPropertiesSet();
		try {
			String bootstrap = broker.getBrokersAsString();
			TopicCreator.ensureTopics(bootstrap, (short) 1);
			try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
				admin.createTopics(List.of(new NewTopic(SchedulerTopology.usageTopic(APP), 1, (short) 1))).all().get();
			}
			// 1. a first start creates the changelog topics
			Path first = dir.resolve("first");
			timeToRunning(bootstrap, first, "first start (empty)");
			// 2. the changelogs of a scheduler holding `jobs` queued jobs in pool
			// "default"
			fill(bootstrap, jobs, dir);
			// 3. a new machine: everything restored from the changelogs
			Path fresh = dir.resolve("fresh");
			long[] restored = timeToRunning(bootstrap, fresh, "restore of " + jobs + " jobs onto an empty state dir");
			// 4. a restart on the same machine: checkpointed stores, nothing to replay
			timeToRunning(bootstrap, fresh, "restart with the state dir kept");
			System.out.printf("restore: %d jobs in the job table after restore%n", restored[1]);
		}
		finally {
			broker.destroy();
		}
	}

	private static void fill(String bootstrap, int jobs, Path dir) {
		int partition = Utils.toPositive(Utils.murmur2("default".getBytes())) % Topics.DEFAULT_PARTITIONS;
		Properties props = new Properties();
		props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
		props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
		props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
		JsonSerde<JobEntry> entries = new JsonSerde<>(JobEntry.class);
		Instant now = Instant.parse("2026-01-01T00:00:00Z");
		long start = System.nanoTime();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
				new ByteArraySerializer())) {
			for (int i = 0; i < jobs; i++) {
				SubmitJob submit = Jobs.aJob(String.format("q-%07d", i))
					.gang(1, 8)
					.acceptedAt(now.plusMillis(i))
					.submit();
				JobView view = JobViews.queued(JobViews.accepted(submit, dir.resolve(submit.jobId()).toString(), now),
						null, now);
				producer.send(new ProducerRecord<>(APP + "-" + SchedulerTopology.STORE_JOBS + "-changelog", partition,
						view.jobId(), entries.serializer().serialize(null, new JobEntry(view, null))));
				producer.send(new ProducerRecord<>(APP + "-" + SchedulerTopology.STORE_QUEUE + "-changelog", partition,
						QueueKeys.of(view), view.jobId().getBytes()));
			}
			producer.flush();
		}
		System.out.printf("restore: wrote %d jobs to the changelogs in %.1f s%n", jobs,
				(System.nanoTime() - start) / 1e9);
	}

	/**
	 * Starts the topology, returns {nanoseconds until RUNNING, entries in the job table},
	 * closes it.
	 */
	private static long[] timeToRunning(String bootstrap, Path stateDir, String what) throws Exception {
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
		config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
		config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
		config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
		config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
		config.put("session.timeout.ms", 6000);
		KafkaStreams streams = new KafkaStreams(
				SchedulerTopology.build(new SchedulerTopology.Settings(APP, stateDir, 32, Clock.systemUTC())), config);
		long start = System.nanoTime();
		streams.start();
		while (streams.state() != KafkaStreams.State.RUNNING) {
			if (System.nanoTime() - start > Duration.ofMinutes(5).toNanos()) {
				throw new IllegalStateException("scheduler not RUNNING after 5 minutes: " + streams.state());
			}
			Thread.sleep(20);
		}
		long took = System.nanoTime() - start;
		ReadOnlyKeyValueStore<String, Object> jobs = streams.store(StoreQueryParameters
			.fromNameAndType(SchedulerTopology.STORE_JOBS, QueryableStoreTypes.<String, Object>keyValueStore()));
		long count = 0;
		try (var it = jobs.all()) {
			while (it.hasNext()) {
				it.next();
				count++;
			}
		}
		System.out.printf("restore: %s: RUNNING after %.2f s (%d jobs in the table)%n", what, took / 1e9, count);
		streams.close(new KafkaStreams.CloseOptions().timeout(Duration.ofSeconds(30)).leaveGroup(true));
		return new long[] { took, count };
	}

}
