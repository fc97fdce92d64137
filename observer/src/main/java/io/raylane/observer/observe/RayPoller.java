package io.raylane.observer.observe;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.raylane.observer.ray.RayStateClient;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.NodeObserved;
import io.raylane.topics.ray.RayJobDetails;
import io.raylane.topics.ray.RayNodeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One observation cycle: read Ray's jobs and nodes, keep what changed ({@link ObservationDiff}), publish it on
 * {@code raylane.ray-observations} / {@code raylane.node-events} and remember it. What was last published is kept
 * in memory only: after a restart everything is published once more, which the scheduler takes idempotently.
 */
public final class RayPoller {

	private static final Logger log = LoggerFactory.getLogger(RayPoller.class);

	private final RayStateClient ray;

	private final ObservationSink sink;

	private final Clock clock;

	private final Map<String, JobObserved> lastJobs = new HashMap<>();

	private final Map<String, NodeObserved> lastNodes = new HashMap<>();

	private final JobReadings readings;

	public RayPoller(RayStateClient ray, ObservationSink sink, Clock clock) {
		this(ray, sink, clock, null);
	}

	/** @param readings failure diagnosis and progress from driver logs; null = Ray's fields only */
	public RayPoller(RayStateClient ray, ObservationSink sink, Clock clock, JobReadings readings) {
		this.ray = ray;
		this.sink = sink;
		this.clock = clock;
		this.readings = readings;
	}

	/** Polls once; jobs and nodes independently, so a failure of one does not starve the other. */
	public synchronized Report pollOnce() {
		Instant now = this.clock.instant();
		int jobs = 0;
		int nodes = 0;
		try {
			jobs = pollJobs(now);
		}
		catch (RuntimeException ex) {
			log.warn("polling Ray's jobs failed: {}", DeadLetter.reasonOf(ex));
		}
		try {
			nodes = pollNodes(now);
		}
		catch (RuntimeException ex) {
			log.warn("polling Ray's nodes failed: {}", DeadLetter.reasonOf(ex));
		}
		return new Report(jobs, nodes);
	}

	private int pollJobs(Instant now) {
		List<RayJobDetails> listed = this.ray.jobs();
		int published = 0;
		List<JobObserved> changedJobs = new java.util.ArrayList<>();
		for (RayJobDetails job : listed) {
			ObservationDiff.jobObservation(job, now)
				.map((o) -> (this.readings != null) ? this.readings.enrich(o, job, now) : o)
				.filter((o) -> !ObservationDiff.sameExceptTime(this.lastJobs.get(o.jobId()), o))
				.ifPresent(changedJobs::add);
		}
		if (this.readings != null) {
			this.readings.retain(listed.stream().map(RayJobDetails::submissionId).filter(java.util.Objects::nonNull)
				.collect(Collectors.toSet()));
		}
		for (JobObserved changed : changedJobs) {
			// remember only after the broker has it: a failed publish is retried by the next poll
			this.sink.publish(changed);
			this.lastJobs.put(changed.jobId(), changed);
			published++;
		}
		// forget jobs Ray no longer lists (deleted), so memory follows Ray's list
		Set<String> present = listed.stream()
			.map((j) -> ObservationDiff.jobObservation(j, now))
			.flatMap(java.util.Optional::stream)
			.map(JobObserved::jobId)
			.collect(Collectors.toSet());
		this.lastJobs.keySet().retainAll(present);
		return published;
	}

	private int pollNodes(Instant now) {
		List<RayNodeState> listed = this.ray.nodes();
		int published = 0;
		for (NodeObserved changed : ObservationDiff.changedNodes(this.lastNodes, listed, now)) {
			this.sink.publish(changed);
			this.lastNodes.put(changed.nodeId(), changed);
			published++;
		}
		Set<String> present = listed.stream().map(RayNodeState::nodeId).collect(Collectors.toSet());
		this.lastNodes.keySet().retainAll(present);
		return published;
	}

	/** What one poll published. */
	public record Report(int jobsPublished, int nodesPublished) {
	}

}
