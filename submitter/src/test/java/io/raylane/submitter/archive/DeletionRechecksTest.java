package io.raylane.submitter.archive;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.raylane.topics.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which watched deletions a listing of Ray's jobs sends back to Ray and which it forgets;
 * the clock is moved by hand.
 */
class DeletionRechecksTest {

	static final Instant T0 = Instant.parse("2026-12-03T21:00:00Z");

	final TestClock clock = new TestClock(T0);

	final DeletionRechecks rechecks = new DeletionRechecks();

	/**
	 * One job deleted at T0, one listing {@code after} later that holds it or not: is it
	 * deleted again, and is it still watched afterwards?
	 */
	static Stream<Arguments> oneListing() {
		return Stream.of(
				// age of the listing, listed?, delete again?, still watched?
				Arguments.of(Duration.ZERO, false, false, true), //
				Arguments.of(Duration.ZERO, true, true, true), // listed after the delete
				Arguments.of(Duration.ofSeconds(2), true, true, true), // early
																		// re-creation
				Arguments.of(Duration.ofSeconds(5), false, false, true),
				Arguments.of(Duration.ofSeconds(5), true, true, true),
				Arguments.of(Duration.ofMillis(29_999), false, false, true),
				Arguments.of(Duration.ofSeconds(30), false, false, false), // watched long
																			// enough
				Arguments.of(Duration.ofSeconds(30), true, true, true), // back: watched
																		// on
				Arguments.of(Duration.ofMinutes(10), false, false, false),
				Arguments.of(Duration.ofMinutes(10), true, true, true),
				// the list was requested before the delete: it proves nothing
				Arguments.of(Duration.ofMillis(-1), true, false, true),
				Arguments.of(Duration.ofMillis(-1), false, false, true));
	}

	@ParameterizedTest(name = "listed {1} at +{0}: again {2}, watched {3}")
	@MethodSource("oneListing")
	void shouldJudgeADeletionByOneListing(Duration age, boolean listed, boolean deleteAgain, boolean watched) {
		this.rechecks.deleted("j1", T0);

		DeletionRechecks.Round round = this.rechecks.sweep(T0.plus(age), listed ? Set.of("j1", "x") : Set.of("x"));

		assertThat(round.deleteAgain()).isEqualTo(deleteAgain ? List.of("j1") : List.of());
		assertThat(this.rechecks.isEmpty()).isEqualTo(!watched);
		assertThat(round.forgotten()).isEqualTo(watched ? 0 : 1);
	}

	/**
	 * Listings every 5 s: a job that never comes back is compared 6 times (at +5 s ...
	 * +30 s when the first listing comes 5 s after the delete) and then forgotten.
	 */
	@Test
	void shouldCompareEveryDeletionUntilAListingAtLeast30SecondsLater() {
		this.rechecks.deleted("j1", this.clock.instant());
		int rounds = 0;
		while (!this.rechecks.isEmpty()) {
			this.clock.advance(Duration.ofSeconds(5));
			this.rechecks.sweep(this.clock.instant(), Set.of());
			rounds++;
		}

		assertThat(rounds).isEqualTo(6);
		assertThat(this.clock.instant()).isEqualTo(T0.plusSeconds(30));
	}

	/**
	 * The case the old 5 s and 30 s rechecks were for: Ray re-creates the job 3 s after
	 * its deletion; the next listing sends it back to Ray, and a job deleted again is
	 * watched anew.
	 */
	@Test
	void shouldWatchAJobDeletedAgainAnew() {
		this.rechecks.deleted("j1", T0);
		assertThat(this.rechecks.sweep(T0.plusSeconds(5), Set.of("j1")).deleteAgain()).containsExactly("j1");
		this.rechecks.deleted("j1", T0.plusSeconds(6));

		assertThat(this.rechecks.sweep(T0.plusSeconds(30), Set.of()).forgotten()).isZero();
		assertThat(this.rechecks.sweep(T0.plusSeconds(36), Set.of()).forgotten()).isOne();
		assertThat(this.rechecks.isEmpty()).isTrue();
	}

	@Test
	void shouldJudgeEachWatchedJobByItsOwnDeletionTime() {
		this.rechecks.deleted("old", T0);
		this.rechecks.deleted("new", T0.plusSeconds(20));
		this.rechecks.deleted("later", T0.plusSeconds(31));

		DeletionRechecks.Round round = this.rechecks.sweep(T0.plusSeconds(30), Set.of("new", "later", "foreign"));

		// "foreign" was never deleted by us; "later" was deleted after the list was asked
		assertThat(round.deleteAgain()).containsExactly("new");
		assertThat(round.forgotten()).isOne();
		assertThat(this.rechecks.size()).isEqualTo(2);
	}

	@Test
	void shouldForgetTheOldestDeletionsBeyondTheBound() {
		DeletionRechecks small = new DeletionRechecks(2);

		assertThat(small.deleted("a", T0)).isZero();
		assertThat(small.deleted("b", T0.plusSeconds(1))).isZero();
		assertThat(small.deleted("a", T0.plusSeconds(2))).isZero(); // deleted again: now
																	// the newest
		assertThat(small.deleted("c", T0.plusSeconds(3))).isOne();

		assertThat(small.sweep(T0.plusSeconds(3), Set.of("a", "b", "c")).deleteAgain()).containsExactly("a", "c");
	}

	@Test
	void shouldDecideNothingWhenNothingIsWatched() {
		assertThat(this.rechecks.sweep(T0, Set.of("j1"))).isEqualTo(new DeletionRechecks.Round(List.of(), 0));
	}

}
