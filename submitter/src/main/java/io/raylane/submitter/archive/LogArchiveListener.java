package io.raylane.submitter.archive;

import io.raylane.submitter.retention.RetentionSweeps;
import io.raylane.support.kafka.DeadLetterPublisher;
import io.raylane.topics.Topics;
import io.raylane.topics.job.JobView;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code raylane.job-states} (read_committed, group
 * {@code raylane-submitter-archive}) and hands each JobView to {@link LogArchiveRetries}
 * (the driver log's archive, tried again when it fails) and to checkpoint retention
 * ({@link RetentionSweeps}); unreadable snapshots go to {@code raylane.dead-letters}.
 */
@Component
class LogArchiveListener {

	static final String ID = "raylane-submitter-archive";

	private final LogArchiveRetries archiver;

	private final DeadLetterPublisher deadLetters;

	private final RetentionSweeps retention;

	LogArchiveListener(LogArchiveRetries archiver, DeadLetterPublisher deadLetters, RetentionSweeps retention) {
		this.archiver = archiver;
		this.retention = retention;
		this.deadLetters = deadLetters;
	}

	@KafkaListener(id = ID, groupId = "${raylane.submitter.archive-group:raylane-submitter-archive}",
			topics = "#{T(io.raylane.topics.Topics).JOB_STATES.name()}")
	void onJobState(ConsumerRecord<String, byte[]> record) {
		JobView view = this.deadLetters.read(Topics.JOB_STATES, record);
		if (view != null) {
			this.archiver.archive(view);
			// after the log: a job's last sweep happens once its output is safe
			this.retention.onJobState(view);
		}
	}

}
