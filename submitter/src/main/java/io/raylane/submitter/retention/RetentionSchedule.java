package io.raylane.submitter.retention;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sweeps the checkpoints of running verl jobs every
 * {@code raylane.submitter.retention-interval} (default 60s).
 */
@Component
class RetentionSchedule {

	private final RetentionSweeps sweeps;

	RetentionSchedule(RetentionSweeps sweeps) {
		this.sweeps = sweeps;
	}

	@Scheduled(fixedDelayString = "${raylane.submitter.retention-interval:60s}",
			initialDelayString = "${raylane.submitter.retention-interval:60s}")
	void sweep() {
		this.sweeps.sweepRunning();
	}

}
