package io.raylane.api.jobs;

import java.util.concurrent.TimeUnit;

import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} is UP only when the API can accept and serve jobs: the job
 * view has caught up with {@code raylane.job-states} as it was at start-up (so a GET
 * never misses an existing job), the producer has reached the broker once, and the broker
 * answers now (a short cluster describe).
 */
@Component("apiReadinessHealthIndicator")
final class ApiReadinessHealthIndicator implements HealthIndicator {

	private static final int BROKER_TIMEOUT_MS = 2000;

	private final JobStatesReader reader;

	private final JobViewStore store;

	private final Admin admin;

	ApiReadinessHealthIndicator(JobStatesReader reader, JobViewStore store, Admin raylaneAdmin) {
		this.reader = reader;
		this.store = store;
		this.admin = raylaneAdmin;
	}

	@Override
	public Health health() {
		if (!this.reader.caughtUp()) {
			return Health.down().withDetail("reason", "job view still reading " + Topics.JOB_STATES).build();
		}
		if (!this.reader.producerReady()) {
			return Health.down().withDetail("reason", "producer has not reached the broker").build();
		}
		try {
			this.admin.describeCluster(new DescribeClusterOptions().timeoutMs(BROKER_TIMEOUT_MS))
				.clusterId()
				.get(BROKER_TIMEOUT_MS + 1000L, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Health.down().withDetail("reason", "interrupted").build();
		}
		catch (Exception ex) {
			return Health.down().withDetail("reason", "broker unreachable: " + DeadLetter.reasonOf(ex)).build();
		}
		return Health.up().withDetail("jobs", this.store.size()).build();
	}

}
