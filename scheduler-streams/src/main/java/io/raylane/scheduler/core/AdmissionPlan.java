package io.raylane.scheduler.core;

import java.util.List;
import java.util.Optional;

/**
 * The result of one planning cycle over a pool's queue window.
 *
 * @param decisions one decision per job of the window, in FIFO order
 * @param blockedBy the first job that did not fit and so blocks every later job (strict
 * FIFO), if any
 */
public record AdmissionPlan(List<Decision> decisions, String blockedBy) {

	public AdmissionPlan {
		decisions = List.copyOf(decisions);
	}

	public Optional<String> firstBlocked() {
		return Optional.ofNullable(this.blockedBy);
	}

}
