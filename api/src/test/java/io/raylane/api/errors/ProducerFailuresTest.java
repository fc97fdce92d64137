package io.raylane.api.errors;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.KafkaException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record too large for the broker is the request's fault, 413; a broker that does not
 * answer is 503 (issue 12).
 */
class ProducerFailuresTest {

	@Test
	void shouldAnswer413ForARecordTooLargeHoweverItIsWrapped() {
		Exception failure = new ExecutionException(new KafkaException("Send failed",
				new RecordTooLargeException("The message is 1100000 bytes when serialized which is larger than "
						+ "1048576, which is the value of the max.request.size configuration.")));

		ApiException answer = ProducerFailures.answer(failure, "the command for rl-1", "list your jobs");

		assertThat(answer.status().value()).isEqualTo(413);
		assertThat(answer.code()).isEqualTo("record_too_large");
		assertThat(answer.getMessage()).contains("rl-1");
	}

	@Test
	void shouldAnswer503WhenTheBrokerDoesNotAcknowledge() {
		ApiException answer = ProducerFailures.answer(new TimeoutException("10000 ms"), "the command for rl-1",
				"list your jobs before retrying");

		assertThat(answer.status().value()).isEqualTo(503);
		assertThat(answer.code()).isEqualTo("kafka_unavailable");
		assertThat(answer.getMessage()).endsWith("list your jobs before retrying");
	}

}
