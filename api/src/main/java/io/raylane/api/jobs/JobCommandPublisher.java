package io.raylane.api.jobs;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.raylane.api.ApiProperties;
import io.raylane.api.errors.ApiException;
import io.raylane.api.errors.ProducerFailures;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.JobCommand;
import io.raylane.topics.partition.PoolPartitions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes job commands to {@code raylane.job-commands} (key = job id) and waits for the
 * broker's acknowledgement (acks=all, idempotent producer), so a command answered 2xx is
 * durable. A failure becomes 503 (the caller should look for the job before submitting
 * again), a record too large for the broker 413 ({@link ProducerFailures}).
 */
@Component
class JobCommandPublisher {

	private static final Logger log = LoggerFactory.getLogger(JobCommandPublisher.class);

	private final KafkaTemplate<String, byte[]> producer;

	private final long timeoutMs;

	JobCommandPublisher(KafkaTemplate<String, byte[]> producer, ApiProperties properties) {
		this.producer = producer;
		this.timeoutMs = properties.kafka().sendTimeout().toMillis();
	}

	void publish(JobCommand command) {
		byte[] value = Topics.JOB_COMMANDS.valueSerde().serializer().serialize(Topics.JOB_COMMANDS.name(), command);
		try {
			// to the partition that owns the job's pool: the scheduler then skips its
			// by-pool repartition (PoolPartitions)
			this.producer
				.send(Topics.JOB_COMMANDS.name(),
						PoolPartitions.of(command.pool(), this.producer.partitionsFor(Topics.JOB_COMMANDS.name())),
						command.jobId(), value)
				.get(this.timeoutMs, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw unavailable(command, ex);
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			throw unavailable(command, ex);
		}
	}

	private static ApiException unavailable(JobCommand command, Exception ex) {
		log.error("{} for {} not acknowledged: {}", command.getClass().getSimpleName(), command.jobId(),
				DeadLetter.reasonOf(ex));
		return ProducerFailures.answer(ex, "the command for " + command.jobId(), "list your jobs before retrying");
	}

}
