package io.raylane.api.audit;

import java.time.Clock;

import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes who did what to {@code raylane.audit} (key = user): each command once it was
 * accepted, and every refused request (400, 401, 403, 413; the security package's
 * {@code RefusalAudit}). Never carries a token. Does not wait for the ack: the command
 * itself is already durable, and an audit hiccup must not turn an accepted job into an
 * error.
 */
@Component
public class AuditPublisher {

	private static final Logger log = LoggerFactory.getLogger(AuditPublisher.class);

	private final KafkaTemplate<String, byte[]> producer;

	private final Clock clock;

	AuditPublisher(KafkaTemplate<String, byte[]> producer, Clock clock) {
		this.producer = producer;
		this.clock = clock;
	}

	/**
	 * @param user the caller
	 * @param action e.g. {@code submit_job}
	 * @param subject e.g. the job id
	 * @param outcome e.g. {@code accepted}
	 * @param remote the caller's address
	 */
	public void record(String user, String action, String subject, String outcome, String remote) {
		AuditEvent event = new AuditEvent(user, action, subject, outcome, remote, this.clock.instant());
		byte[] value = Topics.AUDIT.valueSerde().serializer().serialize(Topics.AUDIT.name(), event);
		this.producer.send(Topics.AUDIT.name(), user, value).whenComplete((result, ex) -> {
			if (ex != null) {
				log.warn("audit event {} {} of {} lost: {}", action, subject, user, DeadLetter.reasonOf(ex));
			}
		});
	}

}
