package io.raylane.observer.attribution;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.raylane.observer.attribution.DispatchedJobs.Dispatched;
import io.raylane.rayclient.wire.RayContract;
import io.raylane.rayclient.wire.RayJobDetails;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Only Raylane's jobs speak for Raylane's jobs (issue 12): Ray accepts submissions from
 * anyone who reaches its dashboard, with any metadata, so {@code raylane_job_id} in a Ray
 * job's metadata proves nothing. A Ray job is attributed to Raylane job {@code X} only
 * when
 * <ol>
 * <li>it is a SUBMISSION whose {@code submission_id} is {@code X} (Raylane submits with
 * {@code submission_id = job id}, and Ray refuses a second submission with an id it
 * holds), and its {@code raylane_job_id} says {@code X} too;</li>
 * <li>Raylane dispatched {@code X} ({@link DispatchedJobs}, from
 * {@code raylane.job-states});</li>
 * <li>its {@code raylane_user} and {@code raylane_pool} are those Raylane dispatched it
 * with.</li>
 * </ol>
 * Anything else is ignored: it never becomes an observation, an accounting record or an
 * alert, so it cannot end a Raylane job or free its GPUs. A Ray job that claims a Raylane
 * job id and fails a check is counted once (metric) and logged at debug.
 */
public final class Attribution {

	private static final Logger log = LoggerFactory.getLogger(Attribution.class);

	private final Function<String, Optional<Dispatched>> dispatched;

	private final BiConsumer<Verdict, RayJobDetails> ignored;

	/** Submission ids already reported as ignored and still listed by Ray. */
	private final Set<String> reported = new HashSet<>();

	/**
	 * @param dispatched what Raylane dispatched, by job id
	 * @param ignored told once of each Ray job that claims a Raylane job id and is
	 * ignored
	 */
	public Attribution(Function<String, Optional<Dispatched>> dispatched, BiConsumer<Verdict, RayJobDetails> ignored) {
		this.dispatched = dispatched;
		this.ignored = ignored;
	}

	/** Why a Ray job is or is not one of Raylane's. */
	public enum Verdict {

		/** Raylane's own submission. */
		RAYLANE(null),
		/**
		 * No claim at all: a DRIVER entry, or a submission without
		 * {@code raylane_job_id}.
		 */
		NOT_CLAIMED(null),
		/** Claims a Raylane job under another submission id. */
		SUBMISSION_ID_MISMATCH("submission_id_mismatch"),
		/** Claims a job id Raylane never dispatched (or has forgotten). */
		NOT_DISPATCHED("not_dispatched"),
		/** Its user or pool are not those Raylane dispatched the job with. */
		METADATA_MISMATCH("metadata_mismatch");

		private final String reason;

		Verdict(String reason) {
			this.reason = reason;
		}

		/** The metric label of an ignored claim; null for RAYLANE and NOT_CLAIMED. */
		public String reason() {
			return this.reason;
		}

	}

	/** The rule: pure. */
	public static Verdict verdict(RayJobDetails job, Function<String, Optional<Dispatched>> dispatched) {
		Map<String, String> meta = job.metadata();
		String claimed = (meta != null) ? meta.get(RayContract.META_JOB_ID) : null;
		if (!RayJobDetails.TYPE_SUBMISSION.equals(job.type()) || claimed == null || claimed.isBlank()) {
			return Verdict.NOT_CLAIMED;
		}
		if (!claimed.equals(job.submissionId())) {
			return Verdict.SUBMISSION_ID_MISMATCH;
		}
		Optional<Dispatched> ours = dispatched.apply(claimed);
		if (ours.isEmpty()) {
			return Verdict.NOT_DISPATCHED;
		}
		boolean sameUser = Objects.equals(orEmpty(meta.get(RayContract.META_USER)), orEmpty(ours.get().user()));
		boolean samePool = Objects.equals(meta.get(RayContract.META_POOL), ours.get().pool());
		return (sameUser && samePool) ? Verdict.RAYLANE : Verdict.METADATA_MISMATCH;
	}

	/**
	 * Raylane's jobs among those Ray lists, in Ray's order; reports each newly seen
	 * ignored claim.
	 */
	public synchronized List<RayJobDetails> raylaneJobs(List<RayJobDetails> listed) {
		List<RayJobDetails> ours = new ArrayList<>();
		Set<String> claims = new HashSet<>();
		for (RayJobDetails job : listed) {
			Verdict verdict = verdict(job, this.dispatched);
			if (verdict == Verdict.RAYLANE) {
				ours.add(job);
			}
			else if (verdict != Verdict.NOT_CLAIMED) {
				String key = job.submissionId() + "/" + verdict;
				claims.add(key);
				if (this.reported.add(key)) {
					log.debug("ignoring Ray job {} ({}): it claims Raylane job {}", job.submissionId(),
							verdict.reason(), job.metadata().get(RayContract.META_JOB_ID));
					this.ignored.accept(verdict, job);
				}
			}
		}
		// memory follows Ray's list
		this.reported.retainAll(claims);
		return ours;
	}

	private static String orEmpty(String value) {
		return (value != null) ? value : "";
	}

}
