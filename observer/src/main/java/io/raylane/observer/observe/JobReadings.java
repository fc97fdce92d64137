package io.raylane.observer.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.raylane.observer.diagnose.FailureClassifier;
import io.raylane.observer.diagnose.NcclCheckReader;
import io.raylane.observer.diagnose.ProgressReader;
import io.raylane.rayclient.wire.LogTails;
import io.raylane.rayclient.wire.RayContract;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.job.Failure;
import io.raylane.topics.job.NcclBandwidth;
import io.raylane.topics.job.Progress;
import io.raylane.topics.deadletter.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the observer reads from the tails of driver logs (Ray's State API log route, read
 * on the job's driver node, bounded: issue 13 item 6; docs/reference/ray-http.md §6) to
 * add to a job's observation: the failure diagnosis of a FAILED job (read once) and the
 * training progress of a running verl job (read at most every {@code progressInterval}),
 * and the bus bandwidth per node pair of a {@code nccl_check} job. Both are remembered
 * per job and attached to every later observation, so they do not flicker, and the total
 * steps, logged once near the start, outlive the tail it scrolled out of; jobs Ray no
 * longer lists are forgotten.
 */
public final class JobReadings {

	private static final Logger log = LoggerFactory.getLogger(JobReadings.class);

	/** Failures older than this (Ray's end time) are not diagnosed any more. */
	static final Duration DIAGNOSE_WINDOW = Duration.ofHours(24);

	private final LogTail logs;

	private final Tail tail;

	private final Duration progressInterval;

	private final Map<String, Failure> failures = new ConcurrentHashMap<>();

	private final Map<String, Progress> progress = new ConcurrentHashMap<>();

	private final Map<String, List<NcclBandwidth>> nccl = new ConcurrentHashMap<>();

	/** nccl_check jobs whose log was read once after they ended. */
	private final Set<String> ncclFinal = ConcurrentHashMap.newKeySet();

	private final Map<String, Instant> lastRead = new ConcurrentHashMap<>();

	/**
	 * @param logs the tail of the driver log of a Ray submission id (empty when Ray has
	 * none)
	 * @param progressInterval {@code raylane.observer.progress-interval}
	 * @param tail how much of the log one reading takes
	 */
	public JobReadings(LogTail logs, Duration progressInterval, Tail tail) {
		this.logs = logs;
		this.progressInterval = progressInterval;
		this.tail = tail;
	}

	/** Reads the whole log and keeps the default tail (tests). */
	public JobReadings(Function<String, Optional<String>> logs, Duration progressInterval) {
		this((id, node, lines, max) -> logs.apply(id).map((t) -> LogTails.last(t, lines, max)), progressInterval,
				Tail.DEFAULTS);
	}

	/** The observation with failure and progress added where they apply. */
	public JobObserved enrich(JobObserved observed, RayJobDetails job, Instant now) {
		String id = job.submissionId();
		if (id == null) {
			return observed;
		}
		String status = String.valueOf(observed.rayStatus());
		boolean verl = job.entrypoint() != null && job.entrypoint().contains("verl.trainer.");
		if (RayContract.STATUS_RUNNING.equals(status) && verl && due(id, now)) {
			this.lastRead.put(id, now);
			read(job, this.tail.progressLines())
				.flatMap((text) -> ProgressReader.read(text, now, this.progress.get(id)))
				.ifPresent((p) -> this.progress.put(id, p));
		}
		if (job.entrypoint() != null && job.entrypoint().contains(NcclBandwidth.MARKER)) {
			readNccl(job, status, observed, now);
		}
		if ("FAILED".equals(status) && !this.failures.containsKey(id) && recent(observed, now)) {
			String text = read(job, this.tail.failureLines()).orElse("");
			if (verl) {
				ProgressReader.read(text, now, this.progress.get(id)).ifPresent((p) -> this.progress.put(id, p));
			}
			Failure failure = FailureClassifier.classify(text, observed.message());
			log.info("job {} failed: {} ({})", observed.jobId(), failure.category(), failure.hint());
			this.failures.put(id, failure);
		}
		return new JobObserved(observed.schemaVersion(), observed.jobId(), observed.pool(), observed.rayStatus(),
				observed.driverNodeIp(), observed.startTimeMs(), observed.endTimeMs(), observed.exitCode(),
				observed.message(), observed.errorType(), observed.observedAt(), this.failures.get(id),
				this.progress.get(id), this.nccl.get(id), observed.placement());
	}

	/**
	 * Issue 16 item 6: a {@code nccl_check} job's results per node pair, read like
	 * progress while it runs and once more, with the failure tail's length, when it has
	 * ended (its last pairs are printed last).
	 */
	private void readNccl(RayJobDetails job, String status, JobObserved observed, Instant now) {
		String id = job.submissionId();
		boolean ended = "SUCCEEDED".equals(status) || "FAILED".equals(status) || "STOPPED".equals(status);
		Optional<String> text = Optional.empty();
		if (RayContract.STATUS_RUNNING.equals(status) && due(id, now)) {
			this.lastRead.put(id, now);
			text = read(job, this.tail.progressLines());
		}
		else if (ended && !this.ncclFinal.contains(id) && recent(observed, now)) {
			this.ncclFinal.add(id);
			text = read(job, this.tail.failureLines());
		}
		text.map((t) -> NcclCheckReader.read(t, this.nccl.get(id)))
			.filter((pairs) -> !pairs.isEmpty())
			.ifPresent((pairs) -> this.nccl.put(id, pairs));
	}

	/** Forgets the jobs Ray no longer lists (submission ids). */
	public void retain(Set<String> submissionIds) {
		this.failures.keySet().retainAll(submissionIds);
		this.progress.keySet().retainAll(submissionIds);
		this.nccl.keySet().retainAll(submissionIds);
		this.ncclFinal.retainAll(submissionIds);
		this.lastRead.keySet().retainAll(submissionIds);
	}

	/**
	 * Whether a failure is recent enough to diagnose: after a restart the observer sees
	 * every failed job Ray still lists, and reading all their logs at once would flood
	 * the head for views long settled.
	 */
	private static boolean recent(JobObserved observed, Instant now) {
		return observed.endTimeMs() == null
				|| !Instant.ofEpochMilli(observed.endTimeMs()).isBefore(now.minus(DIAGNOSE_WINDOW));
	}

	private boolean due(String id, Instant now) {
		Instant last = this.lastRead.get(id);
		return last == null || !now.isBefore(last.plus(this.progressInterval));
	}

	private Optional<String> read(RayJobDetails job, int lines) {
		try {
			return this.logs.tail(job.submissionId(), job.driverNodeId(), lines, this.tail.maxChars());
		}
		catch (RuntimeException ex) {
			log.warn("cannot read the driver log of {}: {}", job.submissionId(), DeadLetter.reasonOf(ex));
			return Optional.empty();
		}
	}

	/** The port to Ray's log tail ({@code RayStateClient#logTail}). */
	@FunctionalInterface
	public interface LogTail {

		/**
		 * @param driverNodeId Ray's {@code driver_node_id} of the job (null: no driver,
		 * no log)
		 */
		Optional<String> tail(String submissionId, String driverNodeId, int lines, int maxChars);

	}

	/**
	 * How much of a driver log one reading takes.
	 *
	 * @param progressLines {@code raylane.observer.progress-log-lines}
	 * @param failureLines {@code raylane.observer.failure-log-lines}
	 * @param maxChars {@code raylane.observer.log-tail-chars}
	 */
	public record Tail(int progressLines, int failureLines, int maxChars) {

		public static final Tail DEFAULTS = new Tail(200, 1000, 1024 * 1024);

		public Tail {
			if (progressLines < 1 || failureLines < 1 || maxChars < 1) {
				throw new IllegalArgumentException("log tail lines and chars must be at least 1");
			}
		}

	}

}
