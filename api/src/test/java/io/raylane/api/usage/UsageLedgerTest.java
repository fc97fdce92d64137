package io.raylane.api.usage;

import io.raylane.topics.events.GpuUsage;
import org.junit.jupiter.api.Test;

import static io.raylane.api.usage.UsageAggregatorTest.usage;
import static org.assertj.core.api.Assertions.assertThat;

class UsageLedgerTest {

	private final UsageLedger ledger = new UsageLedger();

	@Test
	void shouldKeepARecordReadTwiceOnce() {
		GpuUsage record = usage("j1", 0, "alice", "p", 2, 0, 300, null);

		assertThat(this.ledger.add(record)).isTrue();
		assertThat(this.ledger.add(usage("j1", 0, "alice", "p", 2, 0, 300, null))).isFalse();

		assertThat(this.ledger.records(null)).containsExactly(record);
		assertThat(this.ledger.records("alice")).containsExactly(record);
		assertThat(this.ledger.size()).isEqualTo(1);
	}

	@Test
	void shouldServeAUsersRecordsOnlyToThatUserAndAllToAnAdmin() {
		this.ledger.add(usage("a1", 0, "alice", "p", 2, 0, 300, null));
		this.ledger.add(usage("a1", 1, "alice", "p", 2, 300, 600, null));
		this.ledger.add(usage("b1", 0, "bob", "p", 2, 0, 300, null));

		assertThat(this.ledger.records("alice")).extracting(GpuUsage::id).containsExactlyInAnyOrder("a1/0", "a1/1");
		assertThat(this.ledger.records("bob")).extracting(GpuUsage::id).containsExactly("b1/0");
		assertThat(this.ledger.records("carol")).isEmpty();
		assertThat(this.ledger.records(null)).hasSize(3);
	}

}
