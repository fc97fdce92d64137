package io.raylane.observer.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.raylane.rayclient.wire.RayActorState;
import io.raylane.rayclient.wire.RayContract;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayNodeState;
import io.raylane.rayclient.wire.RayPlacementGroupState;

/**
 * Where Ray actually put GPU work (issue 14 items 2 and 3), from one reading of the State
 * API. Pure: no HTTP, no clock.
 *
 * <p>
 * GPUs are held by the bundles of CREATED placement groups (owned by their
 * {@code creator_job_id}) and by ALIVE actors outside any group (owned by their
 * {@code job_id}; an actor inside a group uses its bundle's GPUs, counted once with the
 * group). Ray's JobSupervisor actors all belong to the dashboard's Ray job and are
 * attributed to the submission their name carries. Ray job ids map to submission ids
 * through Ray's job list. Work owned by one of Raylane's jobs is that job's placement;
 * everything else (a {@code ray job submit} by hand, a driver that called
 * {@code ray.init} itself, detached groups of jobs long gone) is held outside Raylane.
 *
 * <p>
 * Why the State API's groups and actors rather than each node's available vs total GPUs:
 * the State API's node list has no available resources, and "total minus what Raylane
 * reserved" would count a Raylane job that spilled beyond its reservation as foreign and
 * blame the wrong owner; the groups and actors name their job.
 */
public final class RayPlacement {

	private RayPlacement() {
	}

	/**
	 * @param listed Ray's whole job list (to map Ray job ids to submission ids)
	 * @param raylane Raylane's own jobs among them (already attributed)
	 */
	public static Reading read(List<RayJobDetails> listed, List<RayJobDetails> raylane,
			List<RayPlacementGroupState> groups, List<RayActorState> actors, List<RayNodeState> nodes) {
		Map<String, String> submissionOfRayJob = new HashMap<>();
		for (RayJobDetails job : listed) {
			if (job.jobId() != null && job.submissionId() != null) {
				submissionOfRayJob.put(job.jobId(), job.submissionId());
			}
		}
		Map<String, String> raylaneJobOfSubmission = new HashMap<>();
		for (RayJobDetails job : raylane) {
			String id = (job.metadata() != null) ? job.metadata().get(RayContract.META_JOB_ID) : null;
			if (job.submissionId() != null && id != null) {
				raylaneJobOfSubmission.put(job.submissionId(), id);
			}
		}
		Map<String, String> ipOf = new HashMap<>();
		nodes.forEach((n) -> ipOf.put(n.nodeId(), n.nodeIp()));
		Map<String, Builder> jobs = new TreeMap<>();
		Map<String, Double> outside = new TreeMap<>();
		for (RayPlacementGroupState group : groups) {
			if (!group.created()) {
				continue;
			}
			String owner = raylaneJobOfSubmission.get(submissionOfRayJob.get(group.creatorJobId()));
			for (RayPlacementGroupState.Bundle bundle : group.bundles()) {
				if (bundle.gpus() <= 0 || bundle.nodeId() == null) {
					continue;
				}
				String label = (bundle.bundleId() != null) ? bundle.bundleId().label() : group.placementGroupId();
				hold(owner, bundle.nodeId(), bundle.gpus(), label, ipOf, jobs, outside);
			}
		}
		for (RayActorState actor : actors) {
			if (!actor.alive() || actor.nodeId() == null || actor.ownGpus() <= 0) {
				continue;
			}
			String supervised = actor.supervisedSubmission();
			String submission = (supervised != null) ? supervised : submissionOfRayJob.get(actor.jobId());
			hold(raylaneJobOfSubmission.get(submission), actor.nodeId(), actor.ownGpus(), "actor " + actor.actorId(),
					ipOf, jobs, outside);
		}
		Map<String, JobPlacement> placements = new TreeMap<>();
		jobs.forEach((id, b) -> placements.put(id, b.build()));
		Map<String, Integer> outsideGpus = new TreeMap<>();
		// a GPU partly held (fractional requests) is not free for a whole-GPU gang
		outside.forEach((node, gpus) -> outsideGpus.put(node, (int) Math.ceil(gpus - 1e-9)));
		return new Reading(placements, outsideGpus);
	}

	private static void hold(String owner, String nodeId, double gpus, String what, Map<String, String> ipOf,
			Map<String, Builder> jobs, Map<String, Double> outside) {
		if (owner == null) {
			outside.merge(nodeId, gpus, Double::sum);
			return;
		}
		String ip = ipOf.getOrDefault(nodeId, nodeId);
		Builder b = jobs.computeIfAbsent(owner, (k) -> new Builder());
		b.ips.add(ip);
		b.held.add(what + "@" + ip);
	}

	private static final class Builder {

		private final TreeSet<String> ips = new TreeSet<>();

		private final List<String> held = new ArrayList<>();

		JobPlacement build() {
			return new JobPlacement(List.copyOf(this.ips), List.copyOf(this.held));
		}

	}

	/**
	 * Where one Raylane job's GPU work is.
	 *
	 * @param nodeIps the nodes' IPs, sorted
	 * @param held what holds GPUs there: {@code <placement group id>:<bundle index>@<ip>}
	 * or {@code actor <id>@<ip>}
	 */
	public record JobPlacement(List<String> nodeIps, List<String> held) {

		public JobPlacement {
			nodeIps = List.copyOf(nodeIps);
			held = List.copyOf(held);
		}

	}

	/**
	 * One reading.
	 *
	 * @param jobs Raylane job id to where its GPU work is (jobs with none placed are
	 * absent)
	 * @param outsideGpus Ray node id to GPUs held there outside Raylane (nodes with none
	 * are absent)
	 */
	public record Reading(Map<String, JobPlacement> jobs, Map<String, Integer> outsideGpus) {

		/** Nothing placed, nothing held: what an idle Ray has. */
		public static final Reading NONE = new Reading(Map.of(), Map.of());

		public Reading {
			jobs = Map.copyOf(jobs);
			outsideGpus = Map.copyOf(outsideGpus);
		}

		public int outsideGpus(String nodeId) {
			return this.outsideGpus.getOrDefault(nodeId, 0);
		}

	}

}
