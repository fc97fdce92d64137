package io.raylane.observer.metrics;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.raylane.observer.accounting.AccountedJob;
import io.raylane.observer.alerts.ActiveAlerts;
import io.raylane.observer.gpu.GpuSample;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayNodeState;
import io.raylane.topics.events.Alert;
import io.raylane.topics.events.GpuUsage;

/**
 * The observer's Micrometer meters, exactly the observer section of docs/metrics.md
 * (Prometheus names in brackets): committed accounting
 * ({@code raylane_user_gpu_seconds_total}, {@code raylane_accounting_records_total}) and
 * alerts ({@code raylane_alerts_total}), counted only after their transaction committed,
 * and those still active ({@code raylane_alert_active}, see {@link ActiveAlerts}); Ray's
 * lists ({@code raylane_ray_jobs}, {@code raylane_ray_nodes}); per running job
 * ({@code raylane_job_gpus}, {@code raylane_job_running_seconds},
 * {@code raylane_job_gpu_utilization_percent}, {@code raylane_job_gpu_memory_used_bytes},
 * {@code raylane_job_gpu_idle}), removed when the job stops running;
 * {@code raylane_observer_scrape_errors_total}; and
 * {@code raylane_observer_ray_jobs_ignored_total}, Ray jobs that claim a Raylane job id
 * but are not Raylane's submission of it.
 */
public final class ObserverMetrics {

	static final List<String> RAY_JOB_STATUSES = List.of("PENDING", "RUNNING", "STOPPED", "SUCCEEDED", "FAILED");

	static final List<String> RAY_NODE_STATES = List.of("ALIVE", "DEAD");

	static final List<String> IGNORED_REASONS = List.of("submission_id_mismatch", "not_dispatched",
			"metadata_mismatch");

	private final MeterRegistry registry;

	private final Clock clock;

	private final Counter scrapeErrors;

	private final Map<String, AtomicLong> rayJobs = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> rayNodes = new ConcurrentHashMap<>();

	private final Map<String, JobMeters> jobs = new HashMap<>();

	private final ActiveAlerts activeAlerts = new ActiveAlerts(ActiveAlerts.DEFAULT_TTL, ActiveAlerts.DEFAULT_MAX);

	private final MultiGauge activeAlertGauge;

	public ObserverMetrics(MeterRegistry registry, Clock clock) {
		this.registry = registry;
		this.clock = clock;
		this.scrapeErrors = Counter.builder("raylane.observer.scrape.errors")
			.description("failed scrapes of a Ray node's metrics endpoint")
			.register(registry);
		RAY_JOB_STATUSES.forEach(this::rayJobGauge);
		RAY_NODE_STATES.forEach(this::rayNodeGauge);
		Counter.builder("raylane.accounting.records").tag("final", "true").register(registry);
		Counter.builder("raylane.accounting.records").tag("final", "false").register(registry);
		Counter.builder("raylane.alerts").tag("kind", Alert.GPU_IDLE).register(registry);
		IGNORED_REASONS.forEach(this::ignoredCounter);
		this.activeAlertGauge = MultiGauge.builder("raylane.alert.active")
			.description("1 per alert published on raylane.alerts that is still active (resolved or expired: gone)")
			.register(registry);
	}

	/**
	 * A Ray job that claims a Raylane job id and is ignored (counted once while Ray lists
	 * it).
	 * @param reason {@code submission_id_mismatch}, {@code not_dispatched} or
	 * {@code metadata_mismatch}
	 */
	public void ignoredRayJob(String reason) {
		ignoredCounter(reason).increment();
	}

	private Counter ignoredCounter(String reason) {
		return Counter.builder("raylane.observer.ray.jobs.ignored")
			.description("Ray jobs that claim a Raylane job id but are not Raylane's submission of it")
			.tag("reason", reason)
			.register(this.registry);
	}

	public void scrapeError() {
		this.scrapeErrors.increment();
	}

	/** Counts what a poll's transaction committed. */
	public synchronized void committed(List<GpuUsage> usages, List<Alert> alerts) {
		for (GpuUsage u : usages) {
			Counter.builder("raylane.user.gpu.seconds")
				.description("GPU-seconds of committed accounting records")
				.tags("user", String.valueOf(u.user()), "pool", String.valueOf(u.pool()))
				.register(this.registry)
				.increment(u.gpuSeconds());
			Counter.builder("raylane.accounting.records")
				.description("accounting records committed")
				.tag("final", String.valueOf(u.isFinal()))
				.register(this.registry)
				.increment();
		}
		for (Alert a : alerts) {
			Counter.builder("raylane.alerts")
				.description("alerts published on raylane.alerts")
				.tag("kind", a.kind())
				.register(this.registry)
				.increment();
			this.activeAlerts.raised(a);
		}
		exportActiveAlerts();
	}

	/**
	 * The alerts committed before this start (the latest per kind and subject, from
	 * {@code raylane.alerts}): active again, oldest first, unless expired; a
	 * {@code gpu_idle} one until the first poll finds its job no longer idle.
	 */
	public synchronized void restoredAlerts(List<Alert> alerts) {
		alerts.stream()
			.filter((a) -> a.raisedAt() != null)
			.sorted(java.util.Comparator.comparing(Alert::raisedAt))
			.skip(Math.max(0, alerts.size() - ActiveAlerts.DEFAULT_MAX))
			.forEach(this.activeAlerts::raised);
		exportActiveAlerts();
	}

	/**
	 * The rows of {@code raylane_alert_active}: {@code kind}, {@code severity},
	 * {@code pool}, {@code node}, {@code job_id} ({@code job_id} rather than {@code job},
	 * which Prometheus' scrape sets to the scrape job's name).
	 */
	private void exportActiveAlerts() {
		List<MultiGauge.Row<?>> rows = new ArrayList<>();
		for (ActiveAlerts.Row r : this.activeAlerts.active(this.clock.instant())) {
			rows.add(MultiGauge.Row.of(Tags.of("kind", r.kind(), "severity", r.severity(), "pool", r.pool(), "node",
					r.node(), "job_id", r.jobId()), 1));
		}
		this.activeAlertGauge.register(rows, true);
	}

	/**
	 * Ray's lists as read by this poll (null: that list could not be read, keep the last
	 * values).
	 */
	public void rayLists(List<RayJobDetails> jobs, List<RayNodeState> nodes) {
		if (jobs != null) {
			Map<String, Long> counts = new HashMap<>();
			jobs.forEach((j) -> counts.merge(String.valueOf(j.status()), 1L, Long::sum));
			counts.keySet().forEach(this::rayJobGauge);
			this.rayJobs.forEach((status, value) -> value.set(counts.getOrDefault(status, 0L)));
		}
		if (nodes != null) {
			Map<String, Long> counts = new HashMap<>();
			nodes.forEach((n) -> counts.merge(String.valueOf(n.state()), 1L, Long::sum));
			counts.keySet().forEach(this::rayNodeGauge);
			this.rayNodes.forEach((state, value) -> value.set(counts.getOrDefault(state, 0L)));
		}
	}

	/**
	 * The per-job gauges of the running jobs; the gauges of jobs not in {@code running}
	 * are removed.
	 * @param running the accounted jobs Ray reports RUNNING
	 * @param latest each job's latest GPU sample, when any
	 * @param idle the jobs in an alerted idle episode
	 */
	public synchronized void runningJobs(List<AccountedJob> running, Map<String, GpuSample> latest,
			java.util.Set<String> idle) {
		Map<String, AccountedJob> byId = new HashMap<>();
		running.forEach((j) -> byId.put(j.jobId(), j));
		for (String gone : new ArrayList<>(this.jobs.keySet())) {
			if (!byId.containsKey(gone)) {
				this.jobs.remove(gone).remove(this.registry);
			}
		}
		byId.forEach((id, job) -> {
			JobMeters meters = this.jobs.computeIfAbsent(id, (k) -> new JobMeters(job));
			meters.update(latest.get(id), idle.contains(id));
		});
		// a gpu_idle alert is active while its job is in an alerted idle episode
		this.activeAlerts.resolveUnless(Alert.GPU_IDLE, idle);
		exportActiveAlerts();
	}

	private void rayJobGauge(String status) {
		this.rayJobs.computeIfAbsent(status,
				(s) -> this.registry.gauge("raylane.ray.jobs", Tags.of("status", s), new AtomicLong()));
	}

	private void rayNodeGauge(String state) {
		this.rayNodes.computeIfAbsent(state,
				(s) -> this.registry.gauge("raylane.ray.nodes", Tags.of("state", s), new AtomicLong()));
	}

	/**
	 * The gauges of one running job; utilization and memory appear with its first sample.
	 */
	private final class JobMeters {

		private final AccountedJob job;

		private final Tags tags;

		private final List<Meter> meters = new ArrayList<>();

		private volatile GpuSample sample;

		private volatile boolean idle;

		private boolean sampled;

		JobMeters(AccountedJob job) {
			this.job = job;
			this.tags = Tags.of("job_id", job.jobId(), "user", String.valueOf(job.user()), "pool",
					String.valueOf(job.pool()));
			this.meters.add(Gauge.builder("raylane.job.gpus", job, AccountedJob::gpus)
				.tags(this.tags)
				.register(ObserverMetrics.this.registry));
			this.meters.add(Gauge
				.builder("raylane.job.running.seconds", this,
						(m) -> Math.max(0, ObserverMetrics.this.clock.millis() - m.job.startMs()) / 1000.0)
				.tags(this.tags)
				.register(ObserverMetrics.this.registry));
			this.meters.add(Gauge.builder("raylane.job.gpu.idle", this, (m) -> m.idle ? 1 : 0)
				.tags(this.tags)
				.register(ObserverMetrics.this.registry));
		}

		void update(GpuSample latest, boolean idle) {
			this.idle = idle;
			if (latest == null) {
				return;
			}
			this.sample = latest;
			if (!this.sampled) {
				this.sampled = true;
				this.meters.add(
						Gauge.builder("raylane.job.gpu.utilization.percent", this, (m) -> m.sample.utilizationPercent())
							.tags(this.tags)
							.register(ObserverMetrics.this.registry));
				this.meters.add(Gauge
					.builder("raylane.job.gpu.memory.used.bytes", this,
							(m) -> Objects.requireNonNullElse(m.sample.memoryMib(), Double.NaN) * 1024 * 1024)
					.tags(this.tags)
					.register(ObserverMetrics.this.registry));
			}
		}

		void remove(MeterRegistry registry) {
			this.meters.forEach(registry::remove);
		}

	}

}
