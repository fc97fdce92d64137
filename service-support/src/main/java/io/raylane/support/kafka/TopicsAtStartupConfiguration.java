package io.raylane.support.kafka;

import io.raylane.support.RaylaneSettings;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link TopicsAtStartup} bean of a service that consumes or produces from its first
 * moment (submitter, node agent, observer): imported by the service's configuration. The
 * scheduler creates them when its Streams start, and the API with the admin client it
 * keeps for its health check.
 */
@Configuration(proxyBeanMethods = false)
public class TopicsAtStartupConfiguration {

	@Bean
	TopicsAtStartup topicsAtStartup(KafkaProperties kafka, RaylaneSettings settings) throws Exception {
		// the admin properties carry the security settings (spring.kafka.security.*,
		// spring.kafka.properties.sasl.*) a secured cluster needs
		return TopicsAtStartup.ensure(kafka.buildAdminProperties(), settings.kafka().topicPolicy());
	}

}
