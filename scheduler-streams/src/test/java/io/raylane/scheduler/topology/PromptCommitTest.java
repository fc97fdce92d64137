package io.raylane.scheduler.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.raylane.scheduler.core.JobViews;
import io.raylane.topics.Jobs;
import io.raylane.topics.events.StopOnRay;
import io.raylane.topics.events.SubmitJob;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PromptCommitTest {

	private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

	@ParameterizedTest(name = "max age {0} ms, urgent {1}, record {2} ms old -> {3}")
	@CsvSource({
			// fresh decisions that someone waits for commit at once
			"40, true, 0, true", "40, true, 40, true",
			// behind: the record waited longer than an interval, commits stay batched
			"40, true, 41, false", "40, true, 5000, false",
			// nothing waits for a queued view or a node's view
			"40, false, 0, false",
			// a producer's clock a little ahead of the scheduler's
			"40, true, -3, true" })
	void shouldCommitAtOnceOnlyFreshUrgentDecisions(long maxAgeMs, boolean urgent, long ageMs, boolean expected) {
		PromptCommit prompt = new PromptCommit(Duration.ofMillis(maxAgeMs));
		long now = NOW.toEpochMilli();

		assertThat(prompt.wanted(urgent, now - ageMs, now)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "never: urgent {0} -> false")
	@CsvSource({ "true", "false" })
	void shouldNeverCommitAtOnceWhenOff(boolean urgent) {
		long now = NOW.toEpochMilli();

		assertThat(PromptCommit.never().wanted(urgent, now, now)).isFalse();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "queued, false", "stopped, true", "command, true" })
	void shouldTellWhichOutputsSomeoneWaitsFor(String output, boolean urgent) {
		SubmitJob submit = Jobs.aJob("rl-prompt").gang(1, 1).acceptedAt(NOW).submit();
		JobView queued = JobViews.queued(JobViews.accepted(submit, Path.of("/shared/jobs/rl-prompt").toString(), NOW),
				null, NOW);
		Outbox out = new Outbox();
		switch (output) {
			case "queued" -> out.job(queued);
			case "stopped" -> out.job(JobViews.stopped(queued, "stopped by alice", NOW));
			default -> out.command(new StopOnRay(StopOnRay.SCHEMA_VERSION, "rl-prompt", "default", "stopped by alice"));
		}

		assertThat(out.urgent()).isEqualTo(urgent);
	}

}
