package io.raylane.api.usage;

import java.time.Instant;

import io.raylane.topics.events.GpuUsage;
import org.junit.jupiter.api.Test;

import static io.raylane.api.usage.UsageAggregatorTest.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class UsageLedgerTest {

	private final UsageLedger ledger = new UsageLedger();

	@Test
	void shouldKeepARecordReadTwiceOnce() {
		assertThat(this.ledger.add(usage("j1", 0, "alice", "p", 2, 0, 300, null))).isTrue();
		assertThat(this.ledger.add(usage("j1", 0, "alice", "p", 2, 0, 300, null))).isFalse();

		assertThat(this.ledger.size()).isEqualTo(1);
		assertThat(this.ledger.jobs(null)).singleElement()
			.satisfies((job) -> assertThat(job.intervals()).extracting(JobUsage.Interval::gpuMillis)
				.containsExactly(600_000L));
	}

	@Test
	void shouldKeepAJobsIntervalsInIndexOrderWhateverTheOrderRead() {
		this.ledger.add(usage("j1", 2, "alice", "p", 2, 600, 700, null));
		this.ledger.add(usage("j1", 0, "alice", "p", 2, 0, 300, null));
		this.ledger.add(usage("j1", 1, "alice", "p", 2, 300, 600, null));
		this.ledger.add(usage("j1", 1, "alice", "p", 2, 300, 600, null));

		assertThat(this.ledger.jobs("alice")).singleElement()
			.satisfies((job) -> assertThat(job.intervals()).extracting(JobUsage.Interval::index)
				.containsExactly(0L, 1L, 2L));
		assertThat(this.ledger.size()).isEqualTo(3);
	}

	@Test
	void shouldServeAUsersJobsOnlyToThatUserAndAllToAnAdmin() {
		this.ledger.add(usage("a1", 0, "alice", "p", 2, 0, 300, null));
		this.ledger.add(usage("a1", 1, "alice", "p", 2, 300, 600, null));
		this.ledger.add(usage("a2", 0, "alice", "p", 2, 300, 600, null));
		this.ledger.add(usage("b1", 0, "bob", "p", 2, 0, 300, null));

		assertThat(this.ledger.jobs("alice")).extracting(JobUsage::jobId).containsExactlyInAnyOrder("a1", "a2");
		assertThat(this.ledger.jobs("bob")).extracting(JobUsage::jobId).containsExactly("b1");
		assertThat(this.ledger.jobs("carol")).isEmpty();
		assertThat(this.ledger.jobs(null)).hasSize(3);
	}

	/**
	 * Issue 12: the ledger does not grow with history; the job whose last interval ended
	 * first goes first, and the answer says from when on it is complete.
	 */
	@Test
	void shouldKeepAtMostTheConfiguredJobsDroppingTheOneThatEndedFirst() {
		UsageLedger bounded = new UsageLedger(2);
		bounded.add(usage("old", 0, "alice", "p", 2, 0, 300, null));
		bounded.add(usage("mid", 0, "alice", "p", 2, 100, 400, null));
		assertThat(bounded.completeSince()).isNull();
		// "old" runs on: its last interval now ends last
		bounded.add(usage("old", 1, "alice", "p", 2, 300, 900, null));

		bounded.add(usage("new", 0, "bob", "p", 2, 500, 600, null));

		assertThat(bounded.jobs(null)).extracting(JobUsage::jobId).containsExactlyInAnyOrder("old", "new");
		assertThat(bounded.jobs("alice")).extracting(JobUsage::jobId).containsExactly("old");
		assertThat(bounded.size()).isEqualTo(3);
		assertThat(bounded.completeSince()).isEqualTo(usage("mid", 0, "alice", "p", 2, 100, 400, null).intervalEnd());
	}

	@Test
	void shouldRefuseARecordWhoseIdIsNotJobAndIndex() {
		Instant start = Instant.parse("2026-11-01T00:00:00Z");
		GpuUsage odd = new GpuUsage(1, "something-else", "j1", "alice", "p", "ppo", 1, 0, start, start.plusSeconds(1),
				1.0, false, null, null);

		assertThatIllegalArgumentException().isThrownBy(() -> this.ledger.add(odd)).withMessageContaining("j1/0");
		assertThat(this.ledger.size()).isZero();
	}

}
