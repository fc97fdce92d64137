package io.raylane.observer;

import java.time.Clock;

import io.raylane.observer.observe.JobReadings;
import io.raylane.observer.observe.KafkaObservationPublisher;
import io.raylane.observer.observe.PollSchedule;
import io.raylane.observer.observe.RayPoller;
import io.raylane.observer.ray.HttpRayStateClient;
import io.raylane.observer.ray.RayHttp;
import io.raylane.observer.ray.RayStateClient;
import io.raylane.topics.TopicsAtStartup;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.client.RestClient;

/**
 * Wires the observer: Ray's HTTP client, the Kafka publisher, the poller and its schedule. Producer settings (bytes)
 * are in {@code raylane-observer.yaml}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ObserverProperties.class)
class ObserverConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	TopicsAtStartup topicsAtStartup(KafkaProperties kafka,
			@Value("${raylane.kafka.replication-factor:1}") short replicationFactor) throws Exception {
		return new TopicsAtStartup(String.join(",", kafka.getBootstrapServers()), replicationFactor);
	}

	@Bean
	RayStateClient rayStateClient(ObjectProvider<RestClient.Builder> builders,
			@Value("${raylane.ray.address:http://127.0.0.1:8265}") String rayAddress, ObserverProperties properties) {
		return new HttpRayStateClient(RayHttp.restClient(builders.getIfAvailable(RestClient::builder), rayAddress,
				properties.connectTimeout(), properties.readTimeout()));
	}

	@Bean
	RayPoller rayPoller(RayStateClient rayStateClient, KafkaTemplate<String, byte[]> kafka,
			ObserverProperties properties, Clock clock) {
		return new RayPoller(rayStateClient, new KafkaObservationPublisher(kafka, properties.publishTimeout()), clock,
				new JobReadings(rayStateClient::logs, properties.progressInterval()));
	}

	/** Depends on the topics: the first poll publishes, so they must exist with the catalog's partitions. */
	@Bean
	PollSchedule pollSchedule(RayPoller rayPoller, ObserverProperties properties, TopicsAtStartup topicsAtStartup) {
		return new PollSchedule(rayPoller::pollOnce, properties.pollInterval());
	}

}
