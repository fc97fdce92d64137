package io.raylane.observer.observe;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.raylane.observer.attribution.Attribution;
import io.raylane.observer.placement.PlacementPolling;
import io.raylane.observer.placement.PlacementWatch;
import io.raylane.observer.placement.RayPlacement;
import io.raylane.observer.lost.LostJobRule;
import io.raylane.observer.lost.LostJobWatch;
import io.raylane.observer.metrics.ObserverMetrics;
import io.raylane.observer.publish.BatchPublisher;
import io.raylane.observer.publish.ObserverFencedException;
import io.raylane.observer.publish.PollBatch;
import io.raylane.observer.ray.RayStateClient;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayNodeState;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.NodeObserved;
import io.raylane.topics.events.RayObservation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One observation cycle: read Ray's jobs and nodes, keep Raylane's own jobs
 * ({@link Attribution}: a Ray job that only claims to be one is ignored), keep what
 * changed ({@link ObservationDiff}), add the jobs Ray lost ({@link LostJobWatch}:
 * JobLost) and the usage ({@link UsageCycle}: accounting records, idle alerts), and
 * publish it all in one transaction ({@link BatchPublisher}) on
 * {@code raylane.ray-observations}, {@code raylane.node-events},
 * {@code raylane.accounting} and {@code raylane.alerts}. Memory (last observations,
 * ledger, idle state, counters) changes only after the commit: a failed poll remembers
 * nothing, and the next one recomputes the same records.
 */
public final class RayPoller {

	private static final Logger log = LoggerFactory.getLogger(RayPoller.class);

	private final RayStateClient ray;

	private final BatchPublisher publisher;

	private final Clock clock;

	private final Map<String, JobObserved> lastJobs = new HashMap<>();

	private final Map<String, NodeObserved> lastNodes = new HashMap<>();

	private final JobReadings readings;

	private final UsageCycle usage;

	private final ObserverMetrics metrics;

	private final LostJobWatch lost;

	private final Attribution attribution;

	private final PlacementPolling placement;

	private final PlacementWatch placementWatch = new PlacementWatch();

	public RayPoller(RayStateClient ray, BatchPublisher publisher, Clock clock, Attribution attribution) {
		this(ray, publisher, clock, attribution, null, null, null);
	}

	/**
	 * @param attribution which of Ray's jobs are Raylane's (issue 12)
	 * @param readings failure diagnosis and progress from driver logs; null = Ray's
	 * fields only
	 * @param usage accounting, GPU utilization and idle alerts; null = observations only
	 * @param metrics Ray's job and node counts; null = none
	 */
	public RayPoller(RayStateClient ray, BatchPublisher publisher, Clock clock, Attribution attribution,
			JobReadings readings, UsageCycle usage, ObserverMetrics metrics) {
		this(ray, publisher, clock, attribution, readings, usage, metrics, null);
	}

	/**
	 * @param lost the watch for jobs Ray no longer knows, whose reading of
	 * {@code raylane.job-states} also tells the attribution what Raylane dispatched; null
	 * = none
	 */
	public RayPoller(RayStateClient ray, BatchPublisher publisher, Clock clock, Attribution attribution,
			JobReadings readings, UsageCycle usage, ObserverMetrics metrics, LostJobWatch lost) {
		this(ray, publisher, clock, attribution, readings, usage, metrics, lost, null);
	}

	/**
	 * @param placement where Ray actually put the jobs and what it holds outside Raylane
	 * (issue 14), read at a bounded rate; null = not read (reservations only)
	 */
	public RayPoller(RayStateClient ray, BatchPublisher publisher, Clock clock, Attribution attribution,
			JobReadings readings, UsageCycle usage, ObserverMetrics metrics, LostJobWatch lost,
			PlacementPolling placement) {
		this.placement = placement;
		this.lost = lost;
		this.attribution = attribution;
		this.ray = ray;
		this.publisher = publisher;
		this.clock = clock;
		this.readings = readings;
		this.usage = usage;
		this.metrics = metrics;
	}

	/**
	 * Polls once; jobs and nodes are read independently, so a failure of one does not
	 * starve the other.
	 * @throws ObserverFencedException when another observer took over
	 */
	public synchronized Report pollOnce() {
		// what Raylane dispatched and holds on Ray, committed before Ray is asked
		boolean knowsRaylanesJobs = (this.lost == null) || this.lost.refresh();
		Instant now = this.clock.instant();
		List<RayJobDetails> listed = read(this.ray::jobs, "jobs");
		List<RayNodeState> nodes = read(this.ray::nodes, "nodes");
		if (this.metrics != null) {
			this.metrics.rayLists(listed, nodes);
		}
		// from here on only Raylane's own jobs (observations, accounting, alerts, logs,
		// lost jobs); without an up-to-date raylane.job-states nothing is attributed,
		// as if Ray had not answered
		List<RayJobDetails> jobs = (listed != null && knowsRaylanesJobs) ? this.attribution.raylaneJobs(listed) : null;
		// where Ray actually put Raylane's jobs, and what it holds for others (issue 14);
		// only when Raylane's jobs are known: else nothing can be told apart
		RayPlacement.Reading placed = (this.placement != null && jobs != null)
				? this.placement.reading(listed, jobs, nodes, now) : null;
		List<JobObserved> changedJobs = (jobs != null) ? changedJobs(jobs, now, placed) : List.of();
		List<NodeObserved> changedNodes = new ArrayList<>();
		if (nodes != null) {
			changedNodes.addAll(ObservationDiff.changedNodes(this.lastNodes, nodes, now,
					(placed != null) ? placed::outsideGpus : (nodeId) -> heldOutsideBefore(nodeId)));
			changedNodes.addAll(ObservationDiff.vanishedNodes(this.lastNodes, nodes, now));
		}
		// a failed answer (jobs == null) judges nothing: a head that is down has not lost
		// anything yet
		LostJobRule.Verdict verdict = (this.lost != null) ? this.lost.plan(jobs, now) : null;
		List<RayObservation> observations = new ArrayList<>(changedJobs);
		if (verdict != null) {
			observations.addAll(verdict.lost());
		}
		UsageCycle.Plan plan = (jobs != null && this.usage != null)
				? this.usage.plan(jobs, nodes, now, (placed != null) ? placed.jobs() : Map.of()) : null;
		PlacementWatch.Plan violations = (plan != null && placed != null)
				? this.placementWatch.plan(plan.reserved(), placed, now) : PlacementWatch.Plan.NONE;
		List<io.raylane.topics.events.Alert> alerts = new ArrayList<>((plan != null) ? plan.alerts() : List.of());
		alerts.addAll(violations.alerts());
		PollBatch batch = new PollBatch(observations, changedNodes, (plan != null) ? plan.records() : List.of(),
				alerts);
		try {
			this.publisher.publish(batch);
		}
		catch (ObserverFencedException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			log.warn("publishing the poll's {} records failed; the next poll retries: {}", batch.size(),
					DeadLetter.reasonOf(ex));
			if (plan != null) {
				this.usage.failed(plan);
			}
			return new Report(0, 0);
		}
		// committed: remember
		changedJobs.forEach((o) -> this.lastJobs.put(o.jobId(), o));
		changedNodes.forEach((o) -> this.lastNodes.put(o.nodeId(), o));
		if (jobs != null) {
			this.lastJobs.keySet().retainAll(raylaneJobIds(jobs, now));
		}
		if (nodes != null) {
			Set<String> present = nodes.stream().map(RayNodeState::nodeId).collect(Collectors.toSet());
			this.lastNodes.keySet().retainAll(present);
		}
		if (plan != null) {
			this.usage.commit(plan);
		}
		if (plan != null && placed != null) {
			this.placementWatch.commit(violations);
		}
		if (this.lost != null) {
			this.lost.commit(verdict);
		}
		return new Report(observations.size(), changedNodes.size(), batch.usages().size(), batch.alerts().size());
	}

	/**
	 * What the last published observation said is held outside Raylane on a node (kept
	 * when the placement was not read this time).
	 */
	private int heldOutsideBefore(String nodeId) {
		NodeObserved last = this.lastNodes.get(nodeId);
		return (last != null) ? last.gpusHeldOutside() : 0;
	}

	private List<JobObserved> changedJobs(List<RayJobDetails> listed, Instant now, RayPlacement.Reading placed) {
		List<JobObserved> changed = new ArrayList<>();
		for (RayJobDetails job : listed) {
			ObservationDiff.jobObservation(job, now)
				.map((o) -> (this.readings != null) ? this.readings.enrich(o, job, now) : o)
				.map((o) -> ObservationDiff.withPlacement(o, placed))
				.filter((o) -> !ObservationDiff.sameExceptTime(this.lastJobs.get(o.jobId()), o))
				.ifPresent(changed::add);
		}
		if (this.readings != null) {
			this.readings.retain(listed.stream()
				.map(RayJobDetails::submissionId)
				.filter(Objects::nonNull)
				.collect(Collectors.toSet()));
		}
		return changed;
	}

	/** Forget jobs Ray no longer lists (deleted), so memory follows Ray's list. */
	private static Set<String> raylaneJobIds(List<RayJobDetails> listed, Instant now) {
		return listed.stream()
			.map((j) -> ObservationDiff.jobObservation(j, now))
			.flatMap(Optional::stream)
			.map(JobObserved::jobId)
			.collect(Collectors.toSet());
	}

	private static <T> List<T> read(Supplier<List<T>> call, String what) {
		try {
			return call.get();
		}
		catch (RuntimeException ex) {
			log.warn("polling Ray's {} failed: {}", what, DeadLetter.reasonOf(ex));
			return null;
		}
	}

	/** What one poll published (all zero when its transaction failed). */
	public record Report(int jobsPublished, int nodesPublished, int usagesPublished, int alertsPublished) {

		public Report(int jobsPublished, int nodesPublished) {
			this(jobsPublished, nodesPublished, 0, 0);
		}

	}

}
