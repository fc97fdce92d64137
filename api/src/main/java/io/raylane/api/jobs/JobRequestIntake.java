package io.raylane.api.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.raylane.api.ConsumerLoop;
import io.raylane.api.ConsumerLoopLifecycle;
import io.raylane.api.audit.AuditPublisher;
import io.raylane.api.errors.ApiException;
import io.raylane.api.jobs.JobRequestRules.Forward;
import io.raylane.api.jobs.JobRequestRules.Ignore;
import io.raylane.api.jobs.JobRequestRules.Outcome;
import io.raylane.api.jobs.JobRequestRules.Refuse;
import io.raylane.support.RaylaneSettings;
import io.raylane.support.kafka.DeadLetterPublisher;
import io.raylane.topics.Topics;
import io.raylane.topics.events.JobCommand;
import io.raylane.topics.events.SubmitJob;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Direct producers' door to the queue (issue 12): reads every
 * {@code raylane.job-requests.<user>} topic (one consumer group across API instances,
 * at-least-once), decides with {@link JobRequestRules} and forwards what passes to
 * {@code raylane.job-commands}, which with the production ACLs only Raylane may write.
 * The user comes from the topic, the acceptance time from the broker
 * ({@code LogAppendTime}, the same on a redelivery, so a forwarded command is the same
 * twice and the scheduler keeps the first). What is refused goes to
 * {@code raylane.dead-letters} with the reason; everything is audited with the remote
 * {@code kafka:<topic>}. It starts reading once the job view has caught up, so that a
 * stop finds the jobs that exist.
 */
@Component
final class JobRequestIntake implements ConsumerLoopLifecycle {

	private static final Logger log = LoggerFactory.getLogger(JobRequestIntake.class);

	static final String GROUP = "raylane-api-job-requests";

	private final ConsumerLoop loop;

	private final JobStatesReader statesReader;

	private final JobViewStore views;

	private final JobCommandPublisher commands;

	private final DeadLetterPublisher deadLetters;

	private final AuditPublisher audit;

	private final Set<String> users;

	private final RaylaneSettings settings;

	private final Clock clock;

	JobRequestIntake(KafkaProperties kafka, JobRequestTopics topics, JobStatesReader statesReader, JobViewStore views,
			JobCommandPublisher commands, DeadLetterPublisher deadLetters, AuditPublisher audit,
			RaylaneSettings settings, Clock clock) {
		Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
		config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		// a user's topic created after this start is found within a minute
		config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 60_000);
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, "raylane-api-job-requests");
		this.loop = new ConsumerLoop("raylane-api-job-requests", config);
		this.users = topics.users();
		this.statesReader = statesReader;
		this.views = views;
		this.commands = commands;
		this.deadLetters = deadLetters;
		this.audit = audit;
		this.settings = settings;
		this.clock = clock;
	}

	@Override
	public void start() {
		this.loop.start(this::run, null);
	}

	@Override
	public ConsumerLoop loop() {
		return this.loop;
	}

	private void run(KafkaConsumer<String, byte[]> consumer) {
		// 1. a stop must find the jobs that exist: wait for the job view
		while (this.loop.running() && !this.statesReader.caughtUp()) {
			sleep(Duration.ofMillis(200));
		}
		// 2. every user's request topic, forwarded in order; a record whose command
		// could not be written is read again
		consumer.subscribe(Topics.JOB_REQUESTS_PATTERN);
		while (this.loop.running()) {
			ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
			Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
			for (ConsumerRecord<String, byte[]> record : records) {
				TopicPartition partition = new TopicPartition(record.topic(), record.partition());
				if (!handle(record)) {
					rewind(consumer, records, done);
					break;
				}
				done.put(partition, new OffsetAndMetadata(record.offset() + 1));
			}
			if (!done.isEmpty()) {
				consumer.commitSync(done);
			}
		}
	}

	/**
	 * @return false when the command could not be written (the record is read again)
	 */
	boolean handle(ConsumerRecord<String, byte[]> record) {
		String user = Topics.requestUser(record.topic());
		if (user == null || !this.users.contains(user)) {
			this.deadLetters.publish(record, "no Raylane user owns request topic " + record.topic());
			return true;
		}
		JobCommand request = this.deadLetters.read(Topics.JOB_COMMANDS, record);
		if (request == null) {
			return true;
		}
		Outcome outcome = JobRequestRules.decide(user, request, arrivedAt(record), this.views::get,
				(id) -> this.settings.shared().jobDir(id).toString());
		outcome = JobRequestRules.resumed(user, outcome, this.views::get, ResumeCheckpoints::read);
		String action = (request instanceof SubmitJob) ? "submit_job" : "stop_job";
		String remote = "kafka:" + record.topic();
		if (outcome instanceof Refuse refuse) {
			this.deadLetters.publish(record, refuse.reason());
			this.audit.record(user, action, request.jobId(), "refused: " + refuse.reason(), remote);
			return true;
		}
		if (outcome instanceof Ignore ignore) {
			this.audit.record(user, action, request.jobId(), "ignored: " + ignore.reason(), remote);
			return true;
		}
		Forward forward = (Forward) outcome;
		try {
			this.commands.publish(forward.command());
		}
		catch (ApiException ex) {
			if (ex.status().is4xxClientError()) {
				// the broker will never take it (a record too large): a retry would block
				// the user's topic for good
				this.deadLetters.publish(record, ex.getMessage());
				this.audit.record(user, action, request.jobId(), "refused: " + ex.code(), remote);
				return true;
			}
			log.warn("{} of {} from {} not forwarded, will retry: {}", action, request.jobId(), record.topic(),
					ex.getMessage());
			sleep(Duration.ofSeconds(1));
			return false;
		}
		if (forward.placeholder() != null) {
			this.views.addPlaceholder(forward.placeholder());
		}
		this.audit.record(user, action, request.jobId(), "accepted", remote);
		return true;
	}

	/**
	 * The broker's append time: the request topics are created with
	 * {@code LogAppendTime}, so the producer cannot choose it. A topic created otherwise
	 * (by hand, without it) falls back to this API's clock at reading.
	 */
	private Instant arrivedAt(ConsumerRecord<String, byte[]> record) {
		return (record.timestampType() == TimestampType.LOG_APPEND_TIME) ? Instant.ofEpochMilli(record.timestamp())
				: this.clock.instant();
	}

	/**
	 * Points every partition of the batch back at its first record not handled, so the
	 * next poll reads them again.
	 */
	private static void rewind(KafkaConsumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records,
			Map<TopicPartition, OffsetAndMetadata> done) {
		for (TopicPartition partition : records.partitions()) {
			OffsetAndMetadata next = done.get(partition);
			consumer.seek(partition, (next != null) ? next.offset() : records.records(partition).get(0).offset());
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
