package io.raylane.api.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The followed log's loop ({@link LogFollow}), against scripted reads and a fake clock.
 */
class LogFollowTest {

	private static final LogFollow.Limits LIMITS = new LogFollow.Limits(Duration.ofMinutes(10), 1024,
			Duration.ofSeconds(1));

	private final List<String> sent = new ArrayList<>();

	private final MovingClock clock = new MovingClock();

	@Test
	void shouldSendEachNewPieceAndTheRestOnceTheJobEnded() throws Exception {
		LogFollow.End end = follow(LIMITS, new LogFollow.Read("step 1\n", false), new LogFollow.Read("step 1\n", false),
				new LogFollow.Read("step 1\nstep 2\n", false), new LogFollow.Read("step 1\nstep 2\ndone\n", true));

		assertThat(end).isEqualTo(LogFollow.End.JOB_ENDED);
		assertThat(this.sent).containsExactly("step 1\n", "step 2\n", "done\n");
	}

	@Test
	void shouldEndAtTheByteBoundWithoutSplittingACharacter() throws Exception {
		// "é" takes two bytes: a budget of 4 holds "ab" and one "é", not half of the next
		LogFollow.End end = follow(new LogFollow.Limits(Duration.ofMinutes(10), 4, Duration.ofSeconds(1)),
				new LogFollow.Read("abéé", false));

		assertThat(end).isEqualTo(LogFollow.End.BYTE_LIMIT);
		assertThat(this.sent).containsExactly("abé");
	}

	@Test
	void shouldEndAtTheTimeBoundWhileTheJobRuns() throws Exception {
		LogFollow.Read running = new LogFollow.Read("still going\n", false);
		LogFollow.Read[] reads = new LogFollow.Read[700];
		java.util.Arrays.fill(reads, running);

		LogFollow.End end = follow(LIMITS, reads);

		assertThat(end).isEqualTo(LogFollow.End.TIME_LIMIT);
		assertThat(this.sent).containsExactly("still going\n");
		assertThat(this.clock.instant()).isEqualTo(MovingClock.START.plus(Duration.ofMinutes(10)));
	}

	@Test
	void shouldReadAnEndedJobsLogAgainWhileItCannotBeRead() throws Exception {
		LogFollow.End end = follow(LIMITS, new LogFollow.Read("a\n", false), new LogFollow.Read(null, true),
				new LogFollow.Read(null, true), new LogFollow.Read("a\nb\n", true));

		assertThat(end).isEqualTo(LogFollow.End.JOB_ENDED);
		assertThat(this.sent).containsExactly("a\n", "b\n");
	}

	@Test
	void shouldGiveUpOnAnEndedJobsLogThatStaysUnreadable() throws Exception {
		LogFollow.Read unreadable = new LogFollow.Read(null, true);
		LogFollow.Read[] reads = new LogFollow.Read[LogFollow.ENDED_RETRIES + 1];
		java.util.Arrays.fill(reads, unreadable);

		assertThat(follow(LIMITS, reads)).isEqualTo(LogFollow.End.LOG_UNREADABLE);
		assertThat(this.sent).isEmpty();
	}

	@Test
	void shouldKeepWhatFitsTheBudget() {
		assertThat(LogFollow.within("hello", 10)).isEqualTo("hello");
		assertThat(LogFollow.within("hello", 2)).isEqualTo("he");
		assertThat(LogFollow.within("€uro", 2)).isEmpty();
		assertThat(LogFollow.within("€uro", 3)).isEqualTo("€");
	}

	private LogFollow.End follow(LogFollow.Limits limits, LogFollow.Read... reads) throws Exception {
		Deque<LogFollow.Read> script = new ArrayDeque<>(List.of(reads));
		return LogFollow.follow(script::removeFirst, this.sent::add, this.clock, limits, this.clock::advance);
	}

	/** A clock that moves only when the loop pauses. */
	static final class MovingClock extends Clock {

		static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

		private Instant now = START;

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
