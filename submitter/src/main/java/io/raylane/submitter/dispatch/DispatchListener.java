package io.raylane.submitter.dispatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import io.raylane.support.kafka.DeadLetterPublisher;
import io.raylane.topics.Topics;
import io.raylane.topics.events.DispatchCommand;
import io.raylane.topics.events.SubmitResult;
import io.raylane.topics.partition.PoolPartitions;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code raylane.dispatch} (read_committed, bytes), lets {@link DispatchHandler}
 * carry each command out and publishes the result on {@code raylane.submit-results} (or a
 * dead letter on {@code raylane.dead-letters}), waiting for the broker's acknowledgement
 * before the record counts as handled. A redelivery after a crash is harmless: Ray
 * refuses a second submission of the same id, and the scheduler ignores a repeated
 * result.
 * <p>
 * Issue 17: the records of one poll are carried out concurrently on a bounded pool, one
 * lane per job ({@link JobLanes}: a job's commands keep their order), and the listener
 * returns only when every one is done, so the container commits the batch's offsets after
 * all of its records (at-least-once as before). When a record must be delivered again (a
 * stop Ray could not take), the container commits the offsets before the earliest such
 * record and delivers it and the rest of the batch again.
 */
@Component
class DispatchListener {

	static final String ID = "raylane-submitter-dispatch";

	private final DispatchHandler handler;

	private final DeadLetterPublisher deadLetters;

	private final KafkaTemplate<String, byte[]> kafka;

	private final ExecutorService pool;

	DispatchListener(DispatchHandler handler, DeadLetterPublisher deadLetters, KafkaTemplate<String, byte[]> kafka,
			@Qualifier("dispatchPool") ExecutorService pool) {
		this.handler = handler;
		this.deadLetters = deadLetters;
		this.kafka = kafka;
		this.pool = pool;
	}

	@KafkaListener(id = ID, groupId = "${raylane.submitter.dispatch-group:raylane-submitter}",
			topics = "#{T(io.raylane.topics.Topics).DISPATCH.name()}", batch = "true")
	void onDispatch(List<ConsumerRecord<String, byte[]>> records) {
		List<Integer> failed = Collections.synchronizedList(new ArrayList<>());
		List<RuntimeException> causes = Collections.synchronizedList(new ArrayList<>());
		List<CompletableFuture<Void>> lanes = new ArrayList<>();
		for (List<Integer> lane : JobLanes.of(records.stream().map(ConsumerRecord::key).toList())) {
			lanes.add(CompletableFuture.runAsync(() -> {
				for (int position : lane) {
					try {
						onDispatch(records.get(position));
					}
					catch (RuntimeException ex) {
						// the rest of this job's lane waits for the redelivery
						failed.add(position);
						causes.add(ex);
						return;
					}
				}
			}, this.pool));
		}
		CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).join();
		int from = JobLanes.redeliverFrom(failed);
		if (from >= 0) {
			RuntimeException cause = causes.get(failed.indexOf(from));
			throw new BatchListenerFailedException(cause.getMessage(), cause, records.get(from));
		}
	}

	private void onDispatch(ConsumerRecord<String, byte[]> record) {
		DispatchCommand command = this.deadLetters.read(Topics.DISPATCH, record);
		if (command == null) {
			return;
		}
		if (command.jobId() == null || command.jobId().isBlank()) {
			// without a job id Ray would invent a submission id and the job could never
			// be found again
			this.deadLetters.publish(record, command.getClass().getSimpleName() + " without a job id");
			return;
		}
		SubmitResult result;
		try {
			result = this.handler.handle(command);
		}
		catch (StopNotDeliveredException ex) {
			if (ex.retryable()) {
				// the container redelivers, then dead-letters (see
				// SubmitterConfiguration)
				throw ex;
			}
			this.deadLetters.publish(record, ex.getMessage());
			return;
		}
		this.kafka
			// to the partition that owns the job's pool: the scheduler then skips its
			// by-pool repartition (PoolPartitions)
			.send(Topics.SUBMIT_RESULTS.name(),
					PoolPartitions.of(result.pool(), this.kafka.partitionsFor(Topics.SUBMIT_RESULTS.name())),
					command.jobId(),
					Topics.SUBMIT_RESULTS.valueSerde().serializer().serialize(Topics.SUBMIT_RESULTS.name(), result))
			.join();
	}

}
