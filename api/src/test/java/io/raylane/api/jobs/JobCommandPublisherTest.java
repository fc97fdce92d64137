package io.raylane.api.jobs;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.raylane.api.ApiProperties;
import io.raylane.api.errors.ApiException;
import io.raylane.topics.Jobs;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.core.KafkaProducerException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.nullable;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The answer to a command the broker does not take (issue 12): 413 for a record too
 * large, which no retry will fix; 503 for a broker that does not answer.
 */
class JobCommandPublisherTest {

	@SuppressWarnings("unchecked")
	final KafkaTemplate<String, byte[]> producer = mock(KafkaTemplate.class);

	final JobCommandPublisher publisher = new JobCommandPublisher(this.producer,
			new ApiProperties(new ApiProperties.Ray(null, null), new ApiProperties.Users(false),
					new ApiProperties.Kafka(Duration.ofSeconds(5))));

	@Test
	void shouldAnswer413WhenTheRecordIsTooLargeForTheBroker() {
		when(this.producer.send(anyString(), nullable(Integer.class), anyString(), any(byte[].class)))
			.thenReturn(CompletableFuture.failedFuture(new KafkaProducerException(new ProducerRecord<>("t", "v"),
					"Failed to send", new RecordTooLargeException("The message is 1100000 bytes when serialized"))));

		assertThatThrownBy(() -> this.publisher.publish(Jobs.aJob("rl-1").submit())).isInstanceOfSatisfying(
				ApiException.class,
				(ex) -> org.assertj.core.api.Assertions.assertThat(ex.status().value()).isEqualTo(413));
	}

	@Test
	void shouldAnswer503WhenTheBrokerFails() {
		CompletableFuture<SendResult<String, byte[]>> never = new CompletableFuture<>();
		never.completeExceptionally(new org.apache.kafka.common.errors.TimeoutException("no broker"));
		when(this.producer.send(anyString(), nullable(Integer.class), anyString(), any(byte[].class)))
			.thenReturn(never);

		assertThatThrownBy(() -> this.publisher.publish(Jobs.aJob("rl-1").submit())).isInstanceOfSatisfying(
				ApiException.class,
				(ex) -> org.assertj.core.api.Assertions.assertThat(ex.status().value()).isEqualTo(503));
	}

}
