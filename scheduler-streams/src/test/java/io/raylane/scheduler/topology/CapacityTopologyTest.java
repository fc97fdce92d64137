package io.raylane.scheduler.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.raylane.topics.Jobs;
import io.raylane.topics.Topics;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.SubmitFailed;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.job.Failure;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.WaitReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.raylane.scheduler.topology.SchedulerDriver.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * GPUs come back on every terminal state; the Ray-head cap holds jobs back across pools;
 * every record is handled by its pool.
 */
class CapacityTopologyTest {

	@TempDir
	Path stateDir;

	@TempDir
	Path sharedRoot;

	private SchedulerDriver scheduler;

	@AfterEach
	void tearDown() {
		this.scheduler.close();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void shouldReleaseGpusOnEveryTerminalState(String terminal, JobStatus want, Consumer<SchedulerDriver> end) {
		this.scheduler = new SchedulerDriver(this.stateDir, this.sharedRoot, SchedulingPolicy.defaults());
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).timeout("10m").submit());
		this.scheduler.submit(Jobs.aJob("rl-2").gang(1, 4).submit());
		assertThat(this.scheduler.nodeView("n1").jobs()).containsExactly("rl-1");

		end.accept(this.scheduler);

		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(want);
		assertThat(this.scheduler.job("rl-1").nodes()).isEmpty();
		assertThat(this.scheduler.nodeView("n1").jobs()).containsExactly("rl-2");
		assertThat(this.scheduler.commandsFor("rl-2")).singleElement().isInstanceOf(SubmitToRay.class);
	}

	static Stream<Arguments> shouldReleaseGpusOnEveryTerminalState() {
		long start = NOW.toEpochMilli();
		return Stream.of(
				arguments("SUCCEEDED", JobStatus.SUCCEEDED,
						(Consumer<SchedulerDriver>) (s) -> s.observe("rl-1", "SUCCEEDED", start, start + 1000, 0,
								null)),
				arguments("FAILED", JobStatus.FAILED,
						(Consumer<SchedulerDriver>) (s) -> s.observe("rl-1", "FAILED", start, start + 1000, 1, "boom")),
				arguments("STOPPED by its owner", JobStatus.STOPPED, (Consumer<SchedulerDriver>) (s) -> {
					s.stop("rl-1", "alice");
					s.observe("rl-1", "STOPPED", start, start + 1000, null, null);
				}),
				arguments("FAILED to submit", JobStatus.FAILED,
						(Consumer<SchedulerDriver>) (s) -> s
							.result(new SubmitFailed("rl-1", SchedulerDriver.POOL, false, "HTTP 400", NOW))),
				arguments("TIMED_OUT", JobStatus.TIMED_OUT, (Consumer<SchedulerDriver>) (s) -> {
					s.advance(Duration.ofMinutes(11));
					s.observe("rl-1", "STOPPED", start, start + 1000, null, null);
				}));
	}

	@Test
	void shouldHoldJobsBackBeyondTheRayHeadCapAndAdmitThemWhenAJobEnds() {
		this.scheduler = new SchedulerDriver(this.stateDir, this.sharedRoot,
				SchedulingPolicy.defaults().withMaxActiveRayJobs(1));
		this.scheduler.node("n1", 8, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 2).submit());
		this.scheduler.submit(Jobs.aJob("rl-2").gang(1, 2).submit());

		assertThat(this.scheduler.job("rl-2").status()).isEqualTo(JobStatus.QUEUED);
		assertThat(this.scheduler.job("rl-2").reasons()).extracting(WaitReason::code)
			.containsExactly("ray_head_capacity");

		this.scheduler.observe("rl-1", "SUCCEEDED", NOW.toEpochMilli(), NOW.toEpochMilli() + 1, 0, null);

		assertThat(this.scheduler.job("rl-2").status()).isEqualTo(JobStatus.DISPATCHED);
	}

	@Test
	void shouldCountJobsActiveInOtherPoolsAgainstTheRayHeadCap() {
		this.scheduler = new SchedulerDriver(this.stateDir, this.sharedRoot,
				SchedulingPolicy.defaults().withMaxActiveRayJobs(1));
		this.scheduler.node("other", "o1", 8, true);
		this.scheduler.submit(Jobs.aJob("rl-other").pool("other").gang(1, 2).submit());
		assertThat(this.scheduler.job("rl-other").status()).isEqualTo(JobStatus.DISPATCHED);

		this.scheduler.node("n1", 8, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 2).submit());

		assertThat(this.scheduler.job("rl-1").reasons()).extracting(WaitReason::code)
			.containsExactly("ray_head_capacity");
	}

	@Test
	void shouldNotGiveAFailedJobsRayHeadSlotBackTwiceWhenItsDiagnosisFollows() {
		this.scheduler = new SchedulerDriver(this.stateDir, this.sharedRoot,
				SchedulingPolicy.defaults().withMaxActiveRayJobs(1));
		this.scheduler.node("n1", 8, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 2).submit());
		this.scheduler.submit(Jobs.aJob("rl-2").gang(1, 2).submit());
		long start = NOW.toEpochMilli();
		this.scheduler.observe("rl-1", "FAILED", start, start + 1000, 1, "exit code 1");
		assertThat(this.scheduler.job("rl-2").status()).isEqualTo(JobStatus.DISPATCHED);

		// the observer's reading of the driver log follows the FAILED status
		// (JobViews.observed)
		JobObserved diagnosis = new JobObserved(1, "rl-1", SchedulerDriver.POOL, "FAILED", null, start, start + 1000, 1,
				"exit code 1", null, NOW, new Failure("oom", List.of("CUDA out of memory"), "smaller batch"), null);
		this.scheduler.pipeRaw(Topics.RAY_OBSERVATIONS, "rl-1",
				Topics.RAY_OBSERVATIONS.valueSerde().serializer().serialize(Topics.RAY_OBSERVATIONS.name(), diagnosis));
		this.scheduler.submit(Jobs.aJob("rl-3").gang(1, 2).submit());

		assertThat(this.scheduler.job("rl-1").failure()).isNotNull();
		assertThat(this.scheduler.job("rl-3").status()).isEqualTo(JobStatus.QUEUED);
		assertThat(this.scheduler.job("rl-3").reasons()).extracting(WaitReason::code)
			.containsExactly("ray_head_capacity");
	}

	@Test
	void shouldScheduleEachPoolOnItsOwnNodes() {
		this.scheduler = new SchedulerDriver(this.stateDir, this.sharedRoot, SchedulingPolicy.defaults());
		this.scheduler.node("a", "a1", 4, true);
		this.scheduler.node("b", "b1", 4, true);

		this.scheduler.submit(Jobs.aJob("rl-a1").pool("a").gang(1, 4).submit());
		this.scheduler.submit(Jobs.aJob("rl-a2").pool("a").gang(1, 4).submit());
		this.scheduler.submit(Jobs.aJob("rl-b1").pool("b").gang(1, 4).submit());

		assertThat(this.scheduler.job("rl-a1").nodes()).containsExactly("a1");
		assertThat(this.scheduler.job("rl-a2").status()).isEqualTo(JobStatus.QUEUED);
		assertThat(this.scheduler.job("rl-a2").position()).isEqualTo(1);
		assertThat(this.scheduler.job("rl-b1").nodes()).containsExactly("b1");
	}

}
