package io.raylane.submitter.dispatch;

import io.raylane.support.kafka.DeadLetterPublisher;
import io.raylane.topics.Topics;
import io.raylane.topics.events.DispatchCommand;
import io.raylane.topics.events.SubmitResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code raylane.dispatch} (read_committed, bytes), lets {@link DispatchHandler}
 * carry each command out and publishes the result on {@code raylane.submit-results} (or a
 * dead letter on {@code raylane.dead-letters}), waiting for the broker's acknowledgement
 * before the record counts as handled. A redelivery after a crash is harmless: Ray
 * refuses a second submission of the same id, and the scheduler ignores a repeated
 * result.
 */
@Component
class DispatchListener {

	static final String ID = "raylane-submitter-dispatch";

	private final DispatchHandler handler;

	private final DeadLetterPublisher deadLetters;

	private final KafkaTemplate<String, byte[]> kafka;

	DispatchListener(DispatchHandler handler, DeadLetterPublisher deadLetters, KafkaTemplate<String, byte[]> kafka) {
		this.handler = handler;
		this.deadLetters = deadLetters;
		this.kafka = kafka;
	}

	@KafkaListener(id = ID, groupId = "${raylane.submitter.dispatch-group:raylane-submitter}",
			topics = "#{T(io.raylane.topics.Topics).DISPATCH.name()}")
	void onDispatch(ConsumerRecord<String, byte[]> record) {
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
			.send(Topics.SUBMIT_RESULTS.name(), command.jobId(),
					Topics.SUBMIT_RESULTS.valueSerde().serializer().serialize(Topics.SUBMIT_RESULTS.name(), result))
			.join();
	}

}
