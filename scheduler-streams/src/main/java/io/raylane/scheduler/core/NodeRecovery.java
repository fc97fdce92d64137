package io.raylane.scheduler.core;

import java.time.Duration;

/**
 * What the scheduler does when Ray reports a registered node dead (issue 11): it waits
 * {@code lostAfter} (hysteresis: a restart that Ray sees under a new node id clears the
 * suspicion), then provisions the node again, up to {@code reprovisionAttempts} times in
 * a row; a node that still does not stay up is FAILED with the reason. Attempts are "in a
 * row" while each comes within {@code stableAfter} of the one before: a node that ran for
 * longer starts counting again.
 *
 * @param lostAfter how long Ray must report the node dead before it is declared lost
 * @param reprovisionAttempts how many times a lost node is provisioned again before it is
 * FAILED (0: FAILED at once)
 * @param stableAfter how long a re-provisioned node must live for its next death to count
 * as a new one
 */
public record NodeRecovery(Duration lostAfter, int reprovisionAttempts, Duration stableAfter) {

	public NodeRecovery {
		lostAfter = (lostAfter != null) ? lostAfter : Duration.ofSeconds(60);
		stableAfter = (stableAfter != null) ? stableAfter : Duration.ofMinutes(10);
		if (reprovisionAttempts < 0) {
			throw new IllegalArgumentException("reprovisionAttempts must not be negative");
		}
	}

	/** 60 s to declare a node lost, 3 re-provisionings, 10 min to count as stable. */
	public static NodeRecovery defaults() {
		return new NodeRecovery(null, 3, null);
	}

}
