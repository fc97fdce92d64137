package io.raylane.scheduler.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.raylane.topics.Jobs;
import io.raylane.topics.Topics;
import io.raylane.topics.events.StopOnRay;
import io.raylane.topics.events.SubmitFailed;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 "No record too large to write", through the real topology: a job whose records
 * a topic would refuse ends with the reason, alone, and the pool goes on. The SubmitJob
 * records go straight onto {@code raylane.job-commands}, as any producer may write them;
 * the broker's refusal itself is the slow tier's {@code OversizeRecordBrokerTest}.
 */
class OversizeRecordTopologyTest {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	@TempDir
	Path stateDir;

	@TempDir
	Path sharedRoot;

	static Map<String, String> env(int kib) {
		Map<String, String> env = new HashMap<>();
		for (int i = 0; i < kib / 32; i++) {
			env.put("V" + i, "x".repeat(32 * 1024));
		}
		return env;
	}

	@Test
	void shouldRejectASubmitJobWithA600KbEnvAndPublishItsViewWithoutTheBulk() {
		try (SchedulerDriver scheduler = new SchedulerDriver(this.stateDir, this.sharedRoot)) {
			scheduler.node("n1", 4, true);

			scheduler.submit(Jobs.aJob("rl-big").gang(1, 4).env(env(600)).acceptedAt(T0).submit());
			scheduler.submit(Jobs.aJob("rl-next").gang(1, 4).acceptedAt(T0.plusSeconds(1)).submit());

			JobView big = scheduler.job("rl-big");
			assertThat(big.status()).isEqualTo(JobStatus.REJECTED);
			assertThat(big.reason()).contains("env").contains("at most 128 KiB");
			assertThat(big.spec().env()).isNull();
			assertThat(scheduler.commandsFor("rl-big")).isEmpty();
			assertThat(scheduler.job("rl-next").status()).isEqualTo(JobStatus.DISPATCHED);
		}
	}

	@Test
	void shouldRejectAJobWhoseDispatchRecordTheTopicWouldRefuseAndDispatchTheNext() {
		RecordSizeGuard guard = RecordSizeGuard.kafkaDefaults();
		guard.learn(Topics.DISPATCH.name(), 100 * 1024);
		try (SchedulerDriver scheduler = new SchedulerDriver(this.stateDir, this.sharedRoot,
				SchedulingPolicy.defaults(), guard)) {
			scheduler.node("n1", 4, true);

			scheduler.submit(Jobs.aJob("rl-big").gang(1, 4).env(env(64)).acceptedAt(T0).submit());
			scheduler.submit(Jobs.aJob("rl-next").gang(1, 4).acceptedAt(T0.plusSeconds(1)).submit());

			JobView big = scheduler.job("rl-big");
			assertThat(big.status()).isEqualTo(JobStatus.REJECTED);
			assertThat(big.reason()).startsWith("could not be scheduled: its record for raylane.dispatch would be")
				.contains("the topic takes at most " + (100 * 1024 - RecordSizeGuard.OVERHEAD));
			assertThat(scheduler.commandsFor("rl-big")).isEmpty();
			assertThat(scheduler.job("rl-next").status()).isEqualTo(JobStatus.DISPATCHED);
			assertThat(scheduler.nodeView("n1").jobs()).containsExactly("rl-next");
		}
	}

	@Test
	void shouldFailADispatchedJobWhoseResubmissionTheBrokerRefusedAndFreeItsGpus() {
		RecordSizeGuard guard = RecordSizeGuard.kafkaDefaults();
		try (SchedulerDriver scheduler = new SchedulerDriver(this.stateDir, this.sharedRoot,
				SchedulingPolicy.defaults(), guard)) {
			scheduler.node("n1", 4, true);
			scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).env(env(64)).acceptedAt(T0).submit());
			scheduler.submit(Jobs.aJob("rl-2").gang(1, 4).acceptedAt(T0.plusSeconds(1)).submit());
			assertThat(scheduler.job("rl-1").status()).isEqualTo(JobStatus.DISPATCHED);
			// the broker refused a record of this size on raylane.dispatch (its topic
			// config changed, say)
			guard.refused(Topics.DISPATCH.name(), 50 * 1024);

			scheduler.result(new SubmitFailed("rl-1", SchedulerDriver.POOL, true, "Ray unavailable", scheduler.now()));
			scheduler.advance(Duration.ofSeconds(5));

			JobView failed = scheduler.job("rl-1");
			assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
			assertThat(failed.reason()).contains("its record for raylane.dispatch would be");
			assertThat(scheduler.commandsFor("rl-1")).hasSize(2).first().isInstanceOf(SubmitToRay.class);
			assertThat(scheduler.commandsFor("rl-1")).last()
				.isEqualTo(new StopOnRay("rl-1", SchedulerDriver.POOL, "failed"));
			assertThat(scheduler.job("rl-2").status()).isEqualTo(JobStatus.DISPATCHED);
			assertThat(scheduler.nodeView("n1").jobs()).containsExactly("rl-2");
		}
	}

	@Test
	void shouldEndAJobWhoseViewTheTopicWouldRefuseWithItsViewWithoutTheBulk() {
		RecordSizeGuard guard = RecordSizeGuard.kafkaDefaults();
		guard.learn(Topics.JOB_STATES.name(), 40 * 1024);
		try (SchedulerDriver scheduler = new SchedulerDriver(this.stateDir, this.sharedRoot,
				SchedulingPolicy.defaults(), guard)) {
			scheduler.submit(Jobs.aJob("rl-big").gang(1, 4).env(env(64)).acceptedAt(T0).submit());
			scheduler.submit(Jobs.aJob("rl-next").gang(1, 4).acceptedAt(T0.plusSeconds(1)).submit());
			scheduler.node("n1", 4, true);

			JobView big = scheduler.job("rl-big");
			assertThat(big.status()).isEqualTo(JobStatus.REJECTED);
			assertThat(big.reason()).contains("its record for raylane.job-states would be");
			assertThat(big.spec().env()).isNull();
			assertThat(scheduler.jobViews).filteredOn((v) -> v.jobId().equals("rl-big")).hasSize(1);
			assertThat(scheduler.job("rl-next").status()).isEqualTo(JobStatus.DISPATCHED);
		}
	}

}
