package io.raylane.api;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import io.raylane.support.RaylaneSettings;
import io.raylane.support.kafka.DeadLetterPublisher;
import io.raylane.support.kafka.TopicsAtStartup;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Kafka plumbing of the API: creates the catalog's topics at start-up, and builds the one
 * producer every write goes through (String keys, byte[] values serialized by each
 * topic's serde, idempotent, acks=all), replacing Boot's auto-configured template so
 * nothing in the environment can weaken those guarantees. The clock and the common
 * settings come from service-support.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

	@Bean(destroyMethod = "close")
	Admin raylaneAdmin(KafkaProperties kafka) {
		return Admin.create(kafka.buildAdminProperties());
	}

	@Bean
	TopicsAtStartup topicsAtStartup(Admin raylaneAdmin, RaylaneSettings settings) throws Exception {
		return TopicsAtStartup.ensure(raylaneAdmin, settings.kafka().topicPolicy());
	}

	@Bean
	ProducerFactory<String, byte[]> raylaneProducerFactory(KafkaProperties kafka,
			ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers) {
		Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
		// a job answered 202 must be durable: every in-sync replica has it, and retries
		// never duplicate it
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		// an HTTP caller waits for the ack: fail within seconds rather than the client
		// defaults of minutes
		config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
		config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
		config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
		config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "raylane-api");
		// each send is awaited by its HTTP caller: lingering (5 ms by default since Kafka
		// 4.0) would only add to every POST (issue 17)
		config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
		DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(config,
				new StringSerializer(), new ByteArraySerializer());
		customizers.orderedStream().forEach((customizer) -> customizer.customize(factory));
		return factory;
	}

	@Bean
	KafkaTemplate<String, byte[]> raylaneKafkaTemplate(ProducerFactory<String, byte[]> raylaneProducerFactory) {
		return new KafkaTemplate<>(raylaneProducerFactory);
	}

	@Bean
	DeadLetterPublisher deadLetterPublisher(KafkaTemplate<String, byte[]> raylaneKafkaTemplate, Clock clock) {
		return DeadLetterPublisher.sending(raylaneKafkaTemplate, "raylane-api", clock);
	}

}
