package io.raylane.scheduler.core;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

import io.raylane.jobspec.JobSpecValidator;

/**
 * Every deadline the scheduler computes (a job's run deadline, its queued-time limit, the
 * stop grace, a resubmission): an instant plus a duration that must fit both
 * {@link Instant} and the epoch milliseconds of the deadline index. A job whose numbers
 * do not fit makes the rule that asked throw, before anything is stored, and the topology
 * ends that one job with the reason (issue 12: {@code timeout: 1000000000000d} made every
 * planning pass of its pool throw).
 */
public final class Deadlines {

	private Deadlines() {
	}

	/**
	 * {@code from + duration}.
	 * @throws ArithmeticException when the result is past what the scheduler can record
	 */
	public static Instant after(Instant from, Duration duration) {
		try {
			Instant at = from.plus(duration);
			// the deadline index keys timers by epoch milliseconds
			at.toEpochMilli();
			return at;
		}
		catch (ArithmeticException | DateTimeException ex) {
			throw new ArithmeticException(from + " + " + JobSpecValidator.format(duration)
					+ " is past any deadline the scheduler can record");
		}
	}

}
