package io.raylane.observer.lost;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.raylane.rayclient.wire.RayContract;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.topics.events.JobLost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observer's watch for jobs Ray lost (issue 11 item 4), one step of each poll:
 * {@link #refresh()} reads {@code raylane.job-states} up to date before Ray is asked,
 * {@link #plan} judges Ray's answer with {@link LostJobRule}, and {@link #commit} keeps
 * the rule's memory once the poll's transaction (with the {@link JobLost} records) has
 * committed. A failed answer, or a view of {@code raylane.job-states} that could not be
 * brought up to date, judges nothing.
 */
public final class LostJobWatch {

	private static final Logger log = LoggerFactory.getLogger(LostJobWatch.class);

	private final HeldJobs held;

	private final Duration grace;

	private final Duration readTimeout;

	private LostJobRule.Memory memory = LostJobRule.Memory.EMPTY;

	private boolean upToDate;

	/**
	 * @param grace {@code raylane.observer.lost-job-grace}: how long a held job must be
	 * missing from Ray's answers before it is reported lost
	 * @param readTimeout how long one poll may spend reading {@code raylane.job-states}
	 */
	public LostJobWatch(HeldJobs held, Duration grace, Duration readTimeout) {
		if (grace.isZero() || grace.isNegative()) {
			throw new IllegalArgumentException("raylane.observer.lost-job-grace must be positive: " + grace);
		}
		this.held = held;
		this.grace = grace;
		this.readTimeout = readTimeout;
	}

	/**
	 * Reads {@code raylane.job-states} up to now; call before asking Ray.
	 * @return whether the view holds everything committed before this call
	 */
	public boolean refresh() {
		this.upToDate = this.held.readToEnd(this.readTimeout);
		return this.upToDate;
	}

	/**
	 * @param listed Ray's answer, or null when it failed
	 * @return the verdict, or null when there is nothing to judge
	 */
	public LostJobRule.Verdict plan(List<RayJobDetails> listed, Instant now) {
		if (listed == null || !this.upToDate) {
			return null;
		}
		LostJobRule.Verdict verdict = LostJobRule.judge(this.held.jobs(), submissionIds(listed), this.memory,
				this.grace, now);
		verdict.next().missingSince().forEach((id, since) -> {
			if (!this.memory.missingSince().containsKey(id)) {
				log.info("job {} is held on Ray but Ray's job list leaves it out; lost unless listed again by {}", id,
						since.plus(this.grace));
			}
		});
		verdict.lost()
			.forEach((lost) -> log.warn("job {} ({}) lost: Ray has not listed it since {} (head restarted?)",
					lost.jobId(), lost.lastStatus(), lost.missingSince()));
		return verdict;
	}

	/** The verdict's reports are published: remember them. */
	public void commit(LostJobRule.Verdict verdict) {
		if (verdict != null) {
			this.memory = verdict.next();
		}
	}

	/**
	 * Every id Ray's answer names a job by: the submission id (Raylane's job id) and the
	 * {@code raylane_job_id} metadata.
	 */
	static Set<String> submissionIds(List<RayJobDetails> listed) {
		Set<String> ids = new HashSet<>();
		for (RayJobDetails job : listed) {
			if (job.submissionId() != null) {
				ids.add(job.submissionId());
			}
			if (job.metadata() != null && job.metadata().get(RayContract.META_JOB_ID) != null) {
				ids.add(job.metadata().get(RayContract.META_JOB_ID));
			}
		}
		return ids;
	}

}
