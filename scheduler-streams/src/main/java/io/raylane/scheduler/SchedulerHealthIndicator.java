package io.raylane.scheduler;

import java.time.Clock;
import java.time.Duration;

import org.apache.kafka.streams.KafkaStreams;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code /actuator/health} of the scheduler (issue 12): DOWN while its Kafka Streams is
 * not processing — stopped, or in a state other than RUNNING and REBALANCING — and for
 * {@code raylane.scheduler.health-failure-window} after a stream thread died or the
 * broker refused one of its records. A thread that fails on every replay keeps it DOWN;
 * one that recovered turns it UP again once the window has passed.
 */
final class SchedulerHealthIndicator implements HealthIndicator {

	private final SchedulerStreams streams;

	private final Duration failureWindow;

	private final Clock clock;

	SchedulerHealthIndicator(SchedulerStreams streams, Duration failureWindow, Clock clock) {
		this.streams = streams;
		this.failureWindow = failureWindow;
		this.clock = clock;
	}

	@Override
	public Health health() {
		KafkaStreams.State state = this.streams.state();
		if (state == null) {
			return Health.down().withDetail("reason", "Kafka Streams is not started").build();
		}
		if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
			return Health.down().withDetail("state", state.name()).build();
		}
		SchedulerStreams.Failure failure = this.streams.lastFailure();
		if (failure != null && failure.at().plus(this.failureWindow).isAfter(this.clock.instant())) {
			return Health.down()
				.withDetail("state", state.name())
				.withDetail("reason", failure.reason())
				.withDetail("failedAt", failure.at().toString())
				.withDetail("threadDeaths", this.streams.threadDeaths())
				.build();
		}
		return Health.up()
			.withDetail("state", state.name())
			.withDetail("threadDeaths", this.streams.threadDeaths())
			.build();
	}

}
