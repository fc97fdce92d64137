package io.raylane.observer.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.raylane.observer.Rays;
import io.raylane.topics.TestClock;
import io.raylane.observer.accounting.AccountedJob;
import io.raylane.observer.gpu.GpuSample;
import io.raylane.topics.events.Alert;
import io.raylane.topics.events.GpuUsage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Prometheus names of docs/metrics.md's observer section, as scraped from a
 * Prometheus registry.
 */
class ObserverMetricsTest {

	static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	final TestClock clock = new TestClock(T0.plusSeconds(600));

	final ObserverMetrics metrics = new ObserverMetrics(this.registry, this.clock);

	final AccountedJob job = AccountedJob.of(Rays.gpuJob("j1", 8, T0.toEpochMilli(), "RUNNING", null, "127.10.0.7"))
		.orElseThrow();

	@Test
	void shouldExportExactlyTheCatalogsNames() {
		this.metrics.committed(List.of(usage(true, 1200.0)), List.of(alert()));
		this.metrics.rayLists(List.of(Rays.gpuJob("j1", 8, 1, "RUNNING", null)),
				List.of(Rays.worker("w1", "127.10.0.7", "default", 8, true)));
		this.metrics.runningJobs(List.of(this.job), Map.of("j1", new GpuSample(T0, 42.5, 2048.0)), Set.of("j1"));
		this.metrics.scrapeError();
		this.metrics.ignoredRayJob("submission_id_mismatch");

		String text = this.registry.scrape();

		assertThat(text).contains("raylane_user_gpu_seconds_total{pool=\"default\",user=\"alice\"} 1200.0")
			.contains("raylane_accounting_records_total{final=\"true\"} 1.0")
			.contains("raylane_accounting_records_total{final=\"false\"} 0.0")
			.contains("raylane_alerts_total{kind=\"gpu_idle\"} 1.0")
			.contains("raylane_ray_jobs{status=\"RUNNING\"} 1.0")
			.contains("raylane_ray_jobs{status=\"SUCCEEDED\"} 0.0")
			.contains("raylane_ray_nodes{state=\"ALIVE\"} 1.0")
			.contains("raylane_ray_nodes{state=\"DEAD\"} 0.0")
			.contains("raylane_job_gpus{job_id=\"j1\",pool=\"default\",user=\"alice\"} 8.0")
			.contains("raylane_job_running_seconds{job_id=\"j1\",pool=\"default\",user=\"alice\"} 600.0")
			.contains("raylane_job_gpu_utilization_percent{job_id=\"j1\",pool=\"default\",user=\"alice\"} 42.5")
			.contains("raylane_job_gpu_memory_used_bytes{job_id=\"j1\",pool=\"default\",user=\"alice\"} "
					+ (2048.0 * 1024 * 1024))
			.contains("raylane_job_gpu_idle{job_id=\"j1\",pool=\"default\",user=\"alice\"} 1.0")
			.contains("raylane_observer_scrape_errors_total 1.0")
			.contains("raylane_observer_ray_jobs_ignored_total{reason=\"submission_id_mismatch\"} 1.0")
			.contains("raylane_observer_ray_jobs_ignored_total{reason=\"not_dispatched\"} 0.0")
			.contains("raylane_observer_ray_jobs_ignored_total{reason=\"metadata_mismatch\"} 0.0");
	}

	@Test
	void shouldExportAnAlertWhileItIsActiveAndRemoveItOnceResolved() {
		this.metrics.committed(List.of(), List.of(alert()));
		this.metrics.runningJobs(List.of(this.job), Map.of(), Set.of("j1"));

		assertThat(this.registry.scrape()).contains(
				"raylane_alert_active{job_id=\"j1\",kind=\"gpu_idle\",node=\"\",pool=\"\",severity=\"warning\"} 1.0");

		// busy again: the episode ended
		this.metrics.runningJobs(List.of(this.job), Map.of(), Set.of());

		assertThat(this.registry.scrape()).doesNotContain("raylane_alert_active{");
	}

	@Test
	void shouldListTheAlertsOfTheLastRunAgainUnlessExpired() {
		Alert expired = new Alert(1, "lost_job/j0/0", "lost_job", "warning", "j0", "lost", Map.of(),
				T0.minusSeconds(86_400));
		Alert recent = new Alert(1, "ray_oom/j2/0", "ray_oom", "critical", "j2", "oom", Map.of("pool", "a100"), T0);

		this.metrics.restoredAlerts(List.of(expired, recent, alert()));

		String text = this.registry.scrape();
		assertThat(text).contains(
				"raylane_alert_active{job_id=\"j2\",kind=\"ray_oom\",node=\"\",pool=\"a100\",severity=\"critical\"} 1.0")
			.contains("raylane_alert_active{job_id=\"j1\",kind=\"gpu_idle\"")
			.doesNotContain("raylane_alert_active{job_id=\"j0\"");

		// the first poll: j1 is no longer in an idle episode
		this.metrics.runningJobs(List.of(this.job), Map.of(), Set.of());

		assertThat(this.registry.scrape()).doesNotContain("raylane_alert_active{job_id=\"j1\"")
			.contains("raylane_alert_active{job_id=\"j2\",kind=\"ray_oom\"");
	}

	@Test
	void shouldRemoveAJobsGaugesWhenItStopsRunning() {
		this.metrics.runningJobs(List.of(this.job), Map.of("j1", new GpuSample(T0, 1, null)), Set.of());
		assertThat(this.registry.scrape()).contains("job_id=\"j1\"");

		this.metrics.runningJobs(List.of(), Map.of(), Set.of());

		assertThat(this.registry.scrape()).doesNotContain("job_id=\"j1\"");
	}

	@Test
	void shouldKeepTheLastUtilizationWhenAPollHasNoSample() {
		this.metrics.runningJobs(List.of(this.job), Map.of("j1", new GpuSample(T0, 77, 1.0)), Set.of());
		this.metrics.runningJobs(List.of(this.job), Map.of(), Set.of());

		assertThat(this.registry.scrape())
			.contains("raylane_job_gpu_utilization_percent{job_id=\"j1\",pool=\"default\",user=\"alice\"} 77.0");
	}

	GpuUsage usage(boolean last, double gpuSeconds) {
		return new GpuUsage(1, "j1/0", "j1", "alice", "default", "ppo", 8, 0, T0, T0.plusSeconds(150), gpuSeconds, last,
				null, null);
	}

	Alert alert() {
		return new Alert(1, "gpu_idle/j1/0", Alert.GPU_IDLE, Alert.SEVERITY_WARNING, "j1", "idle", Map.of(), T0);
	}

}
