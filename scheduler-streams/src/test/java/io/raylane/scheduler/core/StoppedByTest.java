package io.raylane.scheduler.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who stopped a job and why, as its reason shows it (issue 16): a user's plain stop names
 * the user; a stop with a reason (a drain deadline, a Ray head restart) says why too.
 */
class StoppedByTest {

	@ParameterizedTest(name = "{0} / {1} -> {2}")
	@CsvSource(delimiter = '|', nullValues = "null",
			value = { "bob|user|bob", "bob|null|bob", "bob|'  '|bob", "null|user|unknown",
					"scheduler|the drain deadline of node n1 passed (drain reason: NIC)|"
							+ "scheduler: the drain deadline of node n1 passed (drain reason: NIC)",
					"admin|the Ray head restarts (restart_ray_head by admin, operation op-1)|"
							+ "admin: the Ray head restarts (restart_ray_head by admin, operation op-1)" })
	void stoppedBy(String by, String reason, String want) {
		assertThat(Reasons.stoppedBy(by, reason)).isEqualTo(want);
	}

}
