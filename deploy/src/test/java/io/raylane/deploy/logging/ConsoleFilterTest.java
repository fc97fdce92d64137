package io.raylane.deploy.logging;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleFilterTest {

	@ParameterizedTest(name = "{0} {1} on the console: {2}")
	@CsvSource({ "raylane.console, INFO, true", "raylane.console, DEBUG, false",
			// Spring Boot's "Starting AllInOne using Java ..." comes through the main
			// class's logger
			"io.raylane.deploy.AllInOne, INFO, false", "io.raylane.api.security.DevUsers, WARN, true",
			"io.raylane.scheduler.topology.PoolScheduler, WARN, true",
			"io.raylane.scheduler.topology.PoolScheduler, INFO, false",
			"org.apache.kafka.clients.producer.ProducerConfig, INFO, false",
			"org.apache.kafka.clients.NetworkClient, WARN, false",
			"org.springframework.boot.SpringApplication, ERROR, true",
			"org.apache.kafka.streams.KafkaStreams, ERROR, true" })
	void shouldShowOnlyWhatAPersonStartingRaylaneNeeds(String logger, String level, boolean shown) {
		assertThat(ConsoleFilter.shown(logger, Level.toLevel(level))).isEqualTo(shown);
	}

}
