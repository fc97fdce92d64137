package io.raylane.api.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.raylane.api.security.Caller;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.Resources;
import io.raylane.topics.job.WaitReason;

/**
 * The body of {@code GET /v1/queue}:
 * {@code {"pool": ..., "jobs": [{"job_id", "position", "reasons", "estimated_start",
 * ...}]}}.
 *
 * @param pool the pool
 * @param jobs its QUEUED jobs in queue order (one page)
 * @param nextPageToken the {@code page_token} of the next page, null on the last
 */
record QueueResponse(String pool, List<QueuedJob> jobs, String nextPageToken) {

	/**
	 * The queue as {@code caller} may see it. The position is the job's place in the read
	 * model's queue order, so it is always set and consistent within one answer; the
	 * scheduler's reasons and estimate are those it last published (jobs beyond its
	 * planning window wait with reason {@code fifo}). The reasons of another user's job
	 * never name its owner.
	 */
	static QueueResponse of(String pool, List<JobView> queued, Caller caller) {
		List<QueuedJob> jobs = new ArrayList<>();
		int position = 0;
		for (JobView view : queued) {
			position++;
			boolean visible = caller.canSee(view.user());
			List<WaitReason> reasons = (view.reasons() != null) ? view.reasons() : List.of();
			String reason = view.reason();
			if (!visible) {
				// issue 12: a reason must not name the owner of a job the caller may not
				// see
				reasons = reasons.stream()
					.map((r) -> new WaitReason(r.code(), withoutName(r.detail(), view.user())))
					.toList();
				reason = withoutName(reason, view.user());
			}
			jobs.add(new QueuedJob(view.jobId(), position, visible ? view.name() : null, visible ? view.user() : null,
					visible, view.resources(), view.submittedAt(), reason, reasons, view.estimatedStart()));
		}
		return new QueueResponse(pool, jobs, null);
	}

	/**
	 * {@code text} with every mention of the user name {@code name} (a whole name: not
	 * part of a longer name, id or word) replaced by "its owner".
	 */
	static String withoutName(String text, String name) {
		if (text == null || name == null || name.isBlank()) {
			return text;
		}
		String nameChars = "A-Za-z0-9._-";
		return text.replaceAll("(?<![" + nameChars + "])" + Pattern.quote(name) + "(?![" + nameChars + "])",
				"its owner");
	}

	/**
	 * One waiting job.
	 *
	 * @param jobId the job id
	 * @param position 1 = next
	 * @param name the job's name (own jobs only)
	 * @param user its owner (own jobs only)
	 * @param mine whether the caller owns it (or is an admin)
	 * @param resources the gang it asks for
	 * @param submittedAt when it was accepted
	 * @param reason every reason in one sentence
	 * @param reasons every reason it waits, with a stable code
	 * @param estimatedStart when it is expected to start, if running jobs' deadlines make
	 * it computable
	 */
	record QueuedJob(String jobId, int position, String name, String user, boolean mine, Resources resources,
			Instant submittedAt, String reason, List<WaitReason> reasons, Instant estimatedStart) {
	}

}
