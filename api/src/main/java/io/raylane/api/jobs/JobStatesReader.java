package io.raylane.api.jobs;

import io.raylane.api.SnapshotTopicReader;
import io.raylane.support.kafka.DeadLetterPublisher;
import io.raylane.support.kafka.TopicsAtStartup;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.job.JobView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@link JobViewStore} equal to the compacted {@code raylane.job-states} topic (see
 * {@link SnapshotTopicReader}), and warms the command producer on the same thread, so the
 * health indicator can say both "the view has caught up" and "the producer reached the
 * broker".
 */
@Component
final class JobStatesReader extends SnapshotTopicReader<JobView> {

	private static final Logger log = LoggerFactory.getLogger(JobStatesReader.class);

	private final JobViewStore store;

	private final KafkaTemplate<String, byte[]> producer;

	private volatile boolean producerReady;

	JobStatesReader(KafkaProperties kafka, TopicsAtStartup topicsAtStartup, JobViewStore store,
			DeadLetterPublisher deadLetters, KafkaTemplate<String, byte[]> producer) {
		super(Topics.JOB_STATES, kafka, deadLetters);
		this.store = store;
		this.producer = producer;
	}

	/**
	 * Whether the producer has fetched the metadata of {@code raylane.job-commands}, i.e.
	 * reached the broker.
	 */
	boolean producerReady() {
		return this.producerReady;
	}

	@Override
	protected String idOf(JobView view) {
		return view.jobId();
	}

	@Override
	protected void put(JobView view) {
		this.store.apply(view);
	}

	@Override
	protected void remove(String jobId) {
		this.store.remove(jobId);
	}

	@Override
	protected void onCaughtUp() {
		log.info("job view caught up with {}: {} jobs", Topics.JOB_STATES, this.store.size());
	}

	/** Warms the producer, so the first POST does not pay for metadata. */
	@Override
	protected void afterPoll() {
		if (this.producerReady) {
			return;
		}
		try {
			this.producer.partitionsFor(Topics.JOB_COMMANDS.name());
			this.producerReady = true;
		}
		catch (RuntimeException ex) {
			log.warn("producer cannot reach the broker yet: {}", DeadLetter.reasonOf(ex));
		}
	}

}
