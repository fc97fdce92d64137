package io.raylane.observer.observe;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.raylane.observer.accounting.AccountedJob;
import io.raylane.observer.accounting.AccountingLedger;
import io.raylane.observer.alerts.IdleWatch;
import io.raylane.observer.gpu.GpuAttribution;
import io.raylane.observer.gpu.GpuReading;
import io.raylane.observer.gpu.GpuSample;
import io.raylane.observer.gpu.NodeMetricsScraper;
import io.raylane.observer.gpu.SampleHistory;
import io.raylane.observer.metrics.ObserverMetrics;
import io.raylane.observer.placement.RayPlacement;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayNodeState;
import io.raylane.topics.events.Alert;
import io.raylane.topics.events.GpuUsage;

/**
 * The usage half of a poll: scrape the GPUs of the nodes running Raylane jobs, attribute
 * them to the jobs ({@link GpuAttribution}), plan the due accounting records
 * ({@link AccountingLedger}) and idle alerts ({@link IdleWatch}). {@link #commit} keeps
 * the plan once the poll's transaction committed, counts it in the metrics and drops
 * samples nobody needs any more.
 */
public final class UsageCycle {

	private final AccountingLedger ledger;

	private final IdleWatch idle;

	private final NodeMetricsScraper scraper;

	private final SampleHistory history = new SampleHistory();

	private final ObserverMetrics metrics;

	/**
	 * @param scraper the nodes' metrics; null in tests that want no utilization and no
	 * idle alerts
	 */
	public UsageCycle(AccountingLedger ledger, IdleWatch idle, NodeMetricsScraper scraper, ObserverMetrics metrics) {
		this.ledger = ledger;
		this.idle = idle;
		this.scraper = scraper;
		this.metrics = metrics;
	}

	/**
	 * @param listed Ray's job list (read successfully)
	 * @param nodes Ray's node list, null when it could not be read (no scrape this time)
	 */
	public Plan plan(List<RayJobDetails> listed, List<RayNodeState> nodes, Instant now) {
		return plan(listed, nodes, now, Map.of());
	}

	/**
	 * @param actual where Ray actually put each job's GPU work (issue 14 item 2):
	 * utilization is read from, and idle alerts are about, those nodes rather than the
	 * reservation, wherever a job has a placement
	 */
	public Plan plan(List<RayJobDetails> listed, List<RayNodeState> nodes, Instant now,
			Map<String, RayPlacement.JobPlacement> actual) {
		List<AccountedJob> accounted = listed.stream().map(AccountedJob::of).flatMap(Optional::stream).toList();
		List<AccountedJob> reserved = accounted.stream().filter(AccountedJob::running).toList();
		List<AccountedJob> running = reserved.stream().map((job) -> placed(job, actual.get(job.jobId()))).toList();
		Map<String, GpuSample> latest = sample(running, nodes, now);
		AccountingLedger.Plan usage = this.ledger.plan(accounted, now, this.history::of);
		IdleWatch.Plan idlePlan = this.idle.plan(running, this.history::of, now);
		return new Plan(accounted, running, latest, usage, idlePlan, reserved);
	}

	/** The job attributed to the nodes Ray actually put it on, where that is known. */
	static AccountedJob placed(AccountedJob job, RayPlacement.JobPlacement actual) {
		return (actual == null || actual.nodeIps().isEmpty()) ? job : job.onNodes(actual.nodeIps());
	}

	/** Keeps what the poll committed. */
	public void commit(Plan plan) {
		this.ledger.commit(plan.usage());
		this.idle.commit(plan.idle());
		for (AccountedJob job : plan.accounted()) {
			Optional<Instant> pending = this.ledger.pendingFrom(job);
			Instant seen = this.idle.state(job.jobId()).lastSampleAt();
			Instant keepFrom = pending.orElse(Instant.MAX);
			if (job.running() && (seen == null || seen.isBefore(keepFrom))) {
				keepFrom = (seen == null) ? Instant.MIN : seen;
			}
			this.history.prune(job.jobId(), keepFrom);
		}
		this.history.retain(plan.accounted().stream().map(AccountedJob::jobId).collect(Collectors.toSet()));
		this.metrics.committed(plan.usage().records(), plan.idle().alerts());
		this.metrics.runningJobs(plan.running(), plan.latest(), this.idle.alerted());
	}

	/**
	 * Called when the poll's transaction failed: only Ray's view of the running jobs is
	 * shown.
	 */
	public void failed(Plan plan) {
		this.metrics.runningJobs(plan.running(), plan.latest(), this.idle.alerted());
	}

	private Map<String, GpuSample> sample(List<AccountedJob> running, List<RayNodeState> nodes, Instant now) {
		Map<String, GpuSample> latest = new HashMap<>();
		if (this.scraper == null || nodes == null || running.isEmpty()) {
			return latest;
		}
		Set<String> alive = nodes.stream()
			.filter(RayNodeState::alive)
			.map(RayNodeState::nodeIp)
			.filter(java.util.Objects::nonNull)
			.collect(Collectors.toSet());
		// only nodes that hold a running Raylane job: the others have nothing to
		// attribute
		Set<String> targets = new LinkedHashSet<>();
		running.forEach((j) -> j.nodeIps().stream().filter(alive::contains).forEach(targets::add));
		if (targets.isEmpty()) {
			return latest;
		}
		Map<String, List<GpuReading>> readings = this.scraper.scrape(targets);
		for (AccountedJob job : running) {
			GpuAttribution.sample(job.gpus(), job.nodeIps(), readings, now).ifPresent((s) -> {
				this.history.add(job.jobId(), s);
				latest.put(job.jobId(), s);
			});
		}
		return latest;
	}

	/**
	 * One poll's usage.
	 *
	 * @param accounted the accounted jobs Ray listed
	 * @param running those Ray reports RUNNING
	 * @param latest this poll's sample of each running job that has one
	 * @param usage the due accounting records
	 * @param idle the idle states and alerts
	 * @param reserved the running jobs on the nodes Raylane reserved (its metadata)
	 */
	public record Plan(List<AccountedJob> accounted, List<AccountedJob> running, Map<String, GpuSample> latest,
			AccountingLedger.Plan usage, IdleWatch.Plan idle, List<AccountedJob> reserved) {

		public Plan(List<AccountedJob> accounted, List<AccountedJob> running, Map<String, GpuSample> latest,
				AccountingLedger.Plan usage, IdleWatch.Plan idle) {
			this(accounted, running, latest, usage, idle, running);
		}

		public List<GpuUsage> records() {
			return this.usage.records();
		}

		public List<Alert> alerts() {
			return this.idle.alerts();
		}

	}

}
