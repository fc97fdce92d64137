package io.raylane.observer.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.raylane.observer.Rays;
import io.raylane.observer.accounting.AccountedJob;
import io.raylane.observer.gpu.GpuSample;
import io.raylane.topics.events.Alert;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idle episodes over a job's samples, one poll a minute, threshold 5 %, window 15
 * minutes.
 */
class IdleGpuDetectorTest {

	static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	final IdleGpuDetector detector = new IdleGpuDetector(5, Duration.ofMinutes(15));

	final AccountedJob job = AccountedJob.of(Rays.gpuJob("rl-1", 8, T0.toEpochMilli(), "RUNNING", null, "127.10.0.7"))
		.orElseThrow();

	IdleState state = IdleState.NONE;

	@Test
	void shouldRaiseOneAlertOnceTheWindowIsOverAndNotAgainInTheSameEpisode() {
		List<Alert> alerts = new ArrayList<>();
		for (int minute = 0; minute <= 40; minute++) {
			poll(minute, (minute == 3) ? 4.9 : 0.0).ifPresent(alerts::add);
		}

		assertThat(alerts).singleElement().satisfies((a) -> {
			assertThat(a.id()).isEqualTo(Alert.idOf(Alert.GPU_IDLE, "rl-1", T0));
			assertThat(a.kind()).isEqualTo("gpu_idle");
			assertThat(a.severity()).isEqualTo("warning");
			assertThat(a.subject()).isEqualTo("rl-1");
			assertThat(a.raisedAt()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
			assertThat(a.summary()).isEqualTo("job rl-1 of alice holds 8 GPUs that stayed under 5% for 15m");
			assertThat(a.evidence()).containsEntry("user", "alice")
				.containsEntry("pool", "default")
				.containsEntry("gpus", 8)
				.containsEntry("node_ips", List.of("127.10.0.7"))
				.containsEntry("threshold_percent", 5L)
				.containsEntry("window_seconds", 900L)
				.containsEntry("max_utilization_percent", 4.9)
				.containsEntry("samples", 16)
				.containsEntry("since", "2026-01-01T00:00:00Z");
		});
	}

	@Test
	void shouldNeverAlertForABusyJob() {
		for (int minute = 0; minute <= 60; minute++) {
			assertThat(poll(minute, 5.0 + (minute % 50))).isEmpty();
		}
	}

	@Test
	void shouldStartAnewAfterABusySampleAndAlertForTheLaterEpisode() {
		List<Alert> alerts = new ArrayList<>();
		for (int minute = 0; minute <= 60; minute++) {
			poll(minute, (minute == 14 || minute == 40) ? 80 : 0).ifPresent(alerts::add);
		}

		assertThat(alerts).extracting(Alert::raisedAt)
			.containsExactly(T0.plus(Duration.ofMinutes(30)), T0.plus(Duration.ofMinutes(56)));
		assertThat(alerts).extracting(Alert::id).doesNotHaveDuplicates();
	}

	@Test
	void shouldDecideNothingWithoutSamples() {
		IdleGpuDetector.Decision decision = this.detector.evaluate(this.job, IdleState.NONE, List.of(),
				T0.plus(Duration.ofHours(3)));

		assertThat(decision.alert()).isEmpty();
		assertThat(decision.state().idle()).isFalse();
	}

	@Test
	void shouldNotAlertAgainForAnEpisodeRestoredAsAlerted() {
		this.state = IdleState.restored(T0);
		List<Alert> alerts = new ArrayList<>();
		for (int minute = 20; minute <= 50; minute++) {
			poll(minute, 0).ifPresent(alerts::add);
		}

		assertThat(alerts).isEmpty();
		assertThat(this.state.alerted()).isTrue();
	}

	@Test
	void shouldIgnoreSamplesItHasAlreadySeen() {
		GpuSample idle = new GpuSample(T0, 0, null);
		IdleState first = this.detector.evaluate(this.job, IdleState.NONE, List.of(idle), T0).state();

		IdleState again = this.detector.evaluate(this.job, first, List.of(idle), T0).state();

		assertThat(again).isEqualTo(first);
		assertThat(again.samples()).isEqualTo(1);
	}

	@Test
	void shouldAlertForAJobWithoutUserOrPoolMetadata() {
		io.raylane.rayclient.wire.RayJobDetails bare = Rays.gpuJob("rl-2", 1, T0.toEpochMilli(), "RUNNING", null);
		java.util.Map<String, String> meta = new java.util.HashMap<>(bare.metadata());
		meta.remove("raylane_user");
		meta.remove("raylane_pool");
		AccountedJob anonymous = AccountedJob
			.of(new io.raylane.rayclient.wire.RayJobDetails(bare.type(), bare.jobId(), bare.submissionId(),
					bare.driverInfo(), bare.status(), bare.entrypoint(), bare.message(), null, bare.startTime(), null,
					meta, null, null, null, null))
			.orElseThrow();
		IdleGpuDetector.Decision started = this.detector.evaluate(anonymous, IdleState.NONE,
				List.of(new GpuSample(T0, 0, null)), T0);

		IdleGpuDetector.Decision decision = this.detector.evaluate(anonymous, started.state(), List.of(),
				T0.plus(Duration.ofMinutes(15)));

		assertThat(decision.alert()).hasValueSatisfying(
				(a) -> assertThat(a.evidence()).doesNotContainKeys("user", "pool").containsEntry("gpus", 1));
	}

	@Test
	void shouldRenderTheWindowAsConfigured() {
		assertThat(IdleGpuDetector.human(Duration.ofMinutes(15))).isEqualTo("15m");
		assertThat(IdleGpuDetector.human(Duration.ofHours(2))).isEqualTo("2h");
		assertThat(IdleGpuDetector.human(Duration.ofSeconds(90))).isEqualTo("90s");
	}

	@Test
	void shouldContinueARestoredEpisodeThroughIdleWatchAndForgetEndedJobs() {
		IdleWatch watch = new IdleWatch(this.detector, Map.of("rl-1", T0));
		List<GpuSample> samples = List.of(new GpuSample(T0.plus(Duration.ofMinutes(30)), 0, null));

		IdleWatch.Plan plan = watch.plan(List.of(this.job), (id) -> samples, T0.plus(Duration.ofMinutes(30)));
		watch.commit(plan);

		assertThat(plan.alerts()).isEmpty();
		assertThat(watch.alerted()).containsExactly("rl-1");
		watch.commit(watch.plan(List.of(), (id) -> List.of(), T0.plus(Duration.ofMinutes(31))));
		assertThat(watch.alerted()).isEmpty();
		assertThat(watch.state("rl-1")).isEqualTo(IdleState.NONE);
	}

	Optional<Alert> poll(int minute, double utilization) {
		Instant now = T0.plus(Duration.ofMinutes(minute));
		IdleGpuDetector.Decision decision = this.detector.evaluate(this.job, this.state,
				List.of(new GpuSample(now, utilization, 100.0)), now);
		this.state = decision.state();
		return decision.alert();
	}

}
