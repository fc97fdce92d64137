package io.raylane.observer.lost;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.raylane.topics.events.JobLost;
import io.raylane.topics.job.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Which jobs Ray lost, one successful answer at a time (issue 11 item 4): a job Raylane
 * holds on Ray and Ray's answers leave out for the whole grace period is reported once.
 */
class LostJobRuleTest {

	static final Duration GRACE = Duration.ofSeconds(60);

	static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");

	static final HeldJob RUNNING = new HeldJob("rl-1", "default", JobStatus.RUNNING);

	static final HeldJob SUBMITTED = new HeldJob("rl-2", "a100", JobStatus.SUBMITTED);

	static Stream<Arguments> judge() {
		Instant minuteAgo = NOW.minus(GRACE);
		Instant justNow = NOW.minusSeconds(59);
		return Stream.of(
				arguments("a held job Ray lists is not missing", List.of(RUNNING), Set.of("rl-1"),
						LostJobRule.Memory.EMPTY, List.of(), Map.of(), Set.of()),
				arguments("a held job the answer leaves out starts missing now, not lost yet", List.of(RUNNING),
						Set.of(), LostJobRule.Memory.EMPTY, List.of(), Map.of("rl-1", NOW), Set.of()),
				arguments("missing for less than the grace: still not lost (a submission racing the answer)",
						List.of(RUNNING), Set.of(), new LostJobRule.Memory(Map.of("rl-1", justNow), Set.of()),
						List.of(), Map.of("rl-1", justNow), Set.of()),
				arguments("missing for the whole grace: lost, reported with when it went missing", List.of(RUNNING),
						Set.of("rl-other"), new LostJobRule.Memory(Map.of("rl-1", minuteAgo), Set.of()),
						List.of(new JobLost("rl-1", "default", "RUNNING", minuteAgo, NOW)), Map.of("rl-1", minuteAgo),
						Set.of("rl-1")),
				arguments("a submitted job (PENDING on Ray) is lost the same way", List.of(SUBMITTED), Set.of(),
						new LostJobRule.Memory(Map.of("rl-2", minuteAgo), Set.of()),
						List.of(new JobLost("rl-2", "a100", "SUBMITTED", minuteAgo, NOW)), Map.of("rl-2", minuteAgo),
						Set.of("rl-2")),
				arguments("a job already reported is not reported again", List.of(RUNNING), Set.of(),
						new LostJobRule.Memory(Map.of("rl-1", minuteAgo), Set.of("rl-1")), List.of(),
						Map.of("rl-1", minuteAgo), Set.of("rl-1")),
				arguments("listed again ends the episode: missing starts afresh next time", List.of(RUNNING),
						Set.of("rl-1"), new LostJobRule.Memory(Map.of("rl-1", minuteAgo), Set.of("rl-1")), List.of(),
						Map.of(), Set.of()),
				arguments("a job Raylane no longer holds (it ended) is forgotten", List.of(), Set.of(),
						new LostJobRule.Memory(Map.of("rl-1", minuteAgo), Set.of("rl-1")), List.of(), Map.of(),
						Set.of()),
				arguments("only the jobs left out count: one lost, one listed", List.of(RUNNING, SUBMITTED),
						Set.of("rl-2"), new LostJobRule.Memory(Map.of("rl-1", minuteAgo, "rl-2", minuteAgo), Set.of()),
						List.of(new JobLost("rl-1", "default", "RUNNING", minuteAgo, NOW)), Map.of("rl-1", minuteAgo),
						Set.of("rl-1")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void judge(String scenario, List<HeldJob> held, Set<String> listed, LostJobRule.Memory memory,
			List<JobLost> wantLost, Map<String, Instant> wantMissingSince, Set<String> wantReported) {
		LostJobRule.Verdict verdict = LostJobRule.judge(held, listed, memory, GRACE, NOW);

		assertThat(verdict.lost()).as("lost").isEqualTo(wantLost);
		assertThat(verdict.next().missingSince()).as("missing since").isEqualTo(wantMissingSince);
		assertThat(verdict.next().reported()).as("reported").isEqualTo(wantReported);
	}

	@Test
	void shouldReportAJobLostExactlyOneGraceAfterTheFirstAnswerThatLeftItOut() {
		LostJobRule.Memory memory = LostJobRule.Memory.EMPTY;
		Instant first = NOW;
		for (int s = 0; s < 60; s += 2) {
			LostJobRule.Verdict verdict = LostJobRule.judge(List.of(RUNNING), Set.of(), memory, GRACE,
					first.plusSeconds(s));
			assertThat(verdict.lost()).as("after %d s", s).isEmpty();
			memory = verdict.next();
		}

		LostJobRule.Verdict atGrace = LostJobRule.judge(List.of(RUNNING), Set.of(), memory, GRACE, first.plus(GRACE));

		assertThat(atGrace.lost()).containsExactly(new JobLost("rl-1", "default", "RUNNING", first, first.plus(GRACE)));
	}

}
