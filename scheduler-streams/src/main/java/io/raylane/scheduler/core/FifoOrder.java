package io.raylane.scheduler.core;

import java.util.Comparator;

/**
 * The one order of a pool's queue: acceptance time, then job id to break ties. The
 * topology's queue index keys encode the same order, so a prefix scan yields it; the
 * planner re-sorts its window defensively.
 */
public final class FifoOrder {

	public static final Comparator<QueuedJob> ORDER = Comparator.comparing(QueuedJob::acceptedAt)
		.thenComparing(QueuedJob::jobId);

	private FifoOrder() {
	}

}
