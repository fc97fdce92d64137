package io.raylane.observer.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.raylane.rayclient.wire.RayContract;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayNodeState;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.NodeObserved;

/**
 * Turns what Ray lists into observations and keeps only those that changed since the last
 * publication. Pure: no HTTP, no Kafka, no clock (the caller passes {@code now});
 * {@link RayPoller} applies the result.
 */
public final class ObservationDiff {

	private ObservationDiff() {
	}

	/**
	 * A Raylane job as observed: only SUBMISSION jobs whose metadata has
	 * {@code raylane_job_id} (foreign submissions and DRIVER entries are not). That alone
	 * proves nothing: the poll passes only the jobs
	 * {@link io.raylane.observer.attribution.Attribution} found to be Raylane's own
	 * submissions.
	 */
	public static Optional<JobObserved> jobObservation(RayJobDetails job, Instant now) {
		if (!RayJobDetails.TYPE_SUBMISSION.equals(job.type()) || job.metadata() == null) {
			return Optional.empty();
		}
		String jobId = job.metadata().get(RayContract.META_JOB_ID);
		if (jobId == null || jobId.isBlank()) {
			return Optional.empty();
		}
		return Optional.of(new JobObserved(JobObserved.SCHEMA_VERSION, jobId, job.metadata().get(RayContract.META_POOL),
				job.status(), driverNodeIp(job), job.startTime(), job.endTime(), job.driverExitCode(), job.message(),
				job.errorType(), now));
	}

	/**
	 * The IP of the node running the job's driver. Ray 2.60 leaves {@code driver_info}
	 * null for ever when the entrypoint is a shell command (every Raylane job), so the IP
	 * comes from {@code driver_agent_http_address} ({@code http://<node ip>:52365}, set
	 * once the driver is placed); {@code driver_info} is used where a driver has it.
	 */
	static String driverNodeIp(RayJobDetails job) {
		if (job.driverInfo() != null && job.driverInfo().nodeIpAddress() != null) {
			return job.driverInfo().nodeIpAddress();
		}
		if (job.driverAgentHttpAddress() == null) {
			return null;
		}
		try {
			return java.net.URI.create(job.driverAgentHttpAddress()).getHost();
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * A worker as observed: a node is a worker only if it advertises a
	 * {@code raylane-pool-<pool>} resource.
	 */
	public static Optional<NodeObserved> nodeObservation(RayNodeState node, Instant now) {
		return nodeObservation(node, now, (nodeId) -> 0);
	}

	/**
	 * A worker as observed, with the GPUs Ray jobs or actors Raylane did not submit hold
	 * on it (issue 14 item 3), at most the node's GPUs.
	 */
	public static Optional<NodeObserved> nodeObservation(RayNodeState node, Instant now,
			java.util.function.ToIntFunction<String> heldOutside) {
		Optional<String> pool = RayContract.poolOf(node.resourcesTotal());
		if (pool.isEmpty() || node.nodeId() == null) {
			return Optional.empty();
		}
		Double gpus = (node.resourcesTotal() != null) ? node.resourcesTotal().get("GPU") : null;
		// Ray reports GPU totals as floats; a fraction of a GPU is not a GPU the
		// scheduler can hand out
		int wholeGpus = (gpus != null) ? (int) Math.floor(gpus) : 0;
		int outside = node.alive() ? Math.min(wholeGpus, heldOutside.applyAsInt(node.nodeId())) : 0;
		return Optional.of(new NodeObserved(NodeObserved.SCHEMA_VERSION, node.nodeId(), node.nodeIp(), pool.get(),
				node.alive(), wholeGpus, node.labels(), now, outside));
	}

	/**
	 * The observation with Ray's actual placement of a job that is not terminal (issue 14
	 * item 2); unchanged when nothing of the job is placed or nothing was read.
	 */
	public static JobObserved withPlacement(JobObserved observed,
			io.raylane.observer.placement.RayPlacement.Reading placed) {
		if (placed == null || RayContract.isTerminal(observed.rayStatus())) {
			return observed;
		}
		io.raylane.observer.placement.RayPlacement.JobPlacement actual = placed.jobs().get(observed.jobId());
		return (actual != null) ? observed.withPlacement(actual.nodeIps()) : observed;
	}

	/**
	 * Raylane's jobs whose observation differs from the last published one in anything
	 * but observedAt.
	 */
	public static List<JobObserved> changedJobs(Map<String, JobObserved> lastPublished, List<RayJobDetails> jobs,
			Instant now) {
		List<JobObserved> changed = new ArrayList<>();
		for (RayJobDetails job : jobs) {
			jobObservation(job, now).filter((o) -> !sameExceptTime(lastPublished.get(o.jobId()), o))
				.ifPresent(changed::add);
		}
		return changed;
	}

	/**
	 * Workers whose observation differs from the last published one in anything but
	 * observedAt.
	 */
	public static List<NodeObserved> changedNodes(Map<String, NodeObserved> lastPublished, List<RayNodeState> nodes,
			Instant now) {
		return changedNodes(lastPublished, nodes, now, (nodeId) -> 0);
	}

	/**
	 * Workers whose observation, GPUs held outside Raylane included, differs from the
	 * last published one in anything but observedAt.
	 */
	public static List<NodeObserved> changedNodes(Map<String, NodeObserved> lastPublished, List<RayNodeState> nodes,
			Instant now, java.util.function.ToIntFunction<String> heldOutside) {
		List<NodeObserved> changed = new ArrayList<>();
		for (RayNodeState node : nodes) {
			nodeObservation(node, now, heldOutside).filter((o) -> !sameExceptTime(lastPublished.get(o.nodeId()), o))
				.ifPresent(changed::add);
		}
		return changed;
	}

	/**
	 * Workers last published alive that Ray's (successful) node list no longer names at
	 * all, as dead. Ray keeps dead nodes in its list; a node it forgot entirely belonged
	 * to a head that restarted without GCS fault tolerance (issue 11 item 4): its raylet
	 * cannot serve the new head, and without this observation the scheduler would hold it
	 * alive for ever beside the node's new Ray id.
	 */
	public static List<NodeObserved> vanishedNodes(Map<String, NodeObserved> lastPublished, List<RayNodeState> nodes,
			Instant now) {
		java.util.Set<String> listed = new java.util.HashSet<>();
		nodes.forEach((n) -> listed.add(n.nodeId()));
		List<NodeObserved> vanished = new ArrayList<>();
		lastPublished.values()
			.stream()
			.filter((o) -> o.alive() && !listed.contains(o.nodeId()))
			.sorted(java.util.Comparator.comparing(NodeObserved::nodeId))
			.forEach((o) -> vanished.add(new NodeObserved(o.schemaVersion(), o.nodeId(), o.nodeIp(), o.pool(), false,
					o.gpus(), o.labels(), now)));
		return vanished;
	}

	static boolean sameExceptTime(JobObserved a, JobObserved b) {
		return a != null && b != null && Objects.equals(withoutTime(a), withoutTime(b));
	}

	static boolean sameExceptTime(NodeObserved a, NodeObserved b) {
		return a != null && b != null && Objects.equals(withoutTime(a), withoutTime(b));
	}

	private static JobObserved withoutTime(JobObserved o) {
		return new JobObserved(o.schemaVersion(), o.jobId(), o.pool(), o.rayStatus(), o.driverNodeIp(), o.startTimeMs(),
				o.endTimeMs(), o.exitCode(), o.message(), o.errorType(), null, o.failure(), o.progress(),
				o.ncclBandwidth(), o.placement());
	}

	private static NodeObserved withoutTime(NodeObserved o) {
		return new NodeObserved(o.schemaVersion(), o.nodeId(), o.nodeIp(), o.pool(), o.alive(), o.gpus(), o.labels(),
				null, o.gpusHeldOutside());
	}

}
