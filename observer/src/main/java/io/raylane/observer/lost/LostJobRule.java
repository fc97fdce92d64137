package io.raylane.observer.lost;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.raylane.topics.events.JobLost;

/**
 * Decides which jobs Ray has lost (issue 11 item 4), as a pure function of what Raylane
 * holds on Ray ({@link HeldJob}, from {@code raylane.job-states}), what one successful
 * answer of Ray's {@code GET /api/jobs/} listed, and what earlier answers left out.
 * <p>
 * A held job that an answer leaves out is missing from then on; it is lost once it has
 * been missing for {@code grace} without any answer listing it again, and reported once
 * per such episode. The grace absorbs the moment between Ray accepting a submission and
 * the observer's view of {@code raylane.job-states}, and any answer Ray gives while its
 * head comes up. The caller judges only successful answers, read after an up-to-date view
 * of {@code raylane.job-states}: an answer that failed (the head is down) proves nothing,
 * so it neither starts nor ends an episode.
 */
public final class LostJobRule {

	private LostJobRule() {
	}

	/**
	 * What the rule remembers between answers.
	 *
	 * @param missingSince per held job left out by the last answers: the first answer
	 * that left it out
	 * @param reported the jobs already reported lost in their current episode
	 */
	public record Memory(Map<String, Instant> missingSince, Set<String> reported) {

		public static final Memory EMPTY = new Memory(Map.of(), Set.of());

		public Memory {
			missingSince = Map.copyOf(missingSince);
			reported = Set.copyOf(reported);
		}

	}

	/**
	 * The outcome of one answer.
	 *
	 * @param lost the jobs to report lost now
	 * @param next the memory once this answer's reports are published
	 */
	public record Verdict(List<JobLost> lost, Memory next) {
	}

	/**
	 * @param held the jobs Raylane holds on Ray
	 * @param listed the submission ids of Ray's successful answer
	 * @param memory what earlier answers left
	 * @param grace {@code raylane.observer.lost-job-grace}
	 * @param now when Ray answered
	 */
	public static Verdict judge(Collection<HeldJob> held, Set<String> listed, Memory memory, Duration grace,
			Instant now) {
		Map<String, Instant> missingSince = new HashMap<>();
		Set<String> reported = new HashSet<>();
		List<JobLost> lost = new ArrayList<>();
		for (HeldJob job : held) {
			if (listed.contains(job.jobId())) {
				// listed again: the episode (if any) is over
				continue;
			}
			Instant since = memory.missingSince().getOrDefault(job.jobId(), now);
			missingSince.put(job.jobId(), since);
			if (memory.reported().contains(job.jobId())) {
				reported.add(job.jobId());
			}
			else if (!now.isBefore(since.plus(grace))) {
				lost.add(new JobLost(job.jobId(), job.pool(), job.status().name(), since, now));
				reported.add(job.jobId());
			}
		}
		// jobs Raylane no longer holds (ended) are forgotten
		return new Verdict(List.copyOf(lost), new Memory(missingSince, reported));
	}

}
