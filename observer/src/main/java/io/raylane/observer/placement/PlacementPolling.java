package io.raylane.observer.placement;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.raylane.observer.ray.RayStateClient;
import io.raylane.rayclient.wire.RayActorState;
import io.raylane.rayclient.wire.RayContract;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayNodeState;
import io.raylane.rayclient.wire.RayPlacementGroupState;
import io.raylane.topics.deadletter.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Ray's placement groups and actors at a bounded rate (issue 14): at most once per
 * {@code raylane.observer.placement-interval} (two requests: {@code GET
 * /api/v0/placement_groups?detail=true} and {@code GET /api/v0/actors?detail=true}), and
 * only while Ray lists a job that is not terminal (Raylane's or anyone's: a job submitted
 * by hand holds GPUs too). With no such job Ray is not asked, and nothing is placed or
 * held (a detached actor that outlives its job is not seen then: docs/scheduling.md). The
 * last reading is kept between reads, so observations do not flicker; a failed read keeps
 * it too.
 */
public final class PlacementPolling {

	private static final Logger log = LoggerFactory.getLogger(PlacementPolling.class);

	private final RayStateClient ray;

	private final Duration interval;

	private Instant lastRead;

	private RayPlacement.Reading last = RayPlacement.Reading.NONE;

	public PlacementPolling(RayStateClient ray, Duration interval) {
		if (interval.isNegative()) {
			throw new IllegalArgumentException("raylane.observer.placement-interval must not be negative: " + interval);
		}
		this.ray = ray;
		this.interval = interval;
	}

	/**
	 * The reading for this poll.
	 * @param listed Ray's whole job list (read successfully)
	 * @param raylane Raylane's own jobs among them
	 * @param nodes Ray's node list, null when it could not be read (the last reading is
	 * kept)
	 */
	public synchronized RayPlacement.Reading reading(List<RayJobDetails> listed, List<RayJobDetails> raylane,
			List<RayNodeState> nodes, Instant now) {
		if (!due(listed, now)) {
			return this.last;
		}
		if (listed.stream().allMatch((j) -> RayContract.isTerminal(j.status()))) {
			this.last = RayPlacement.Reading.NONE;
			this.lastRead = null;
			return this.last;
		}
		if (nodes == null) {
			return this.last;
		}
		this.lastRead = now;
		try {
			List<RayPlacementGroupState> groups = this.ray.placementGroups();
			List<RayActorState> actors = this.ray.actors();
			this.last = RayPlacement.read(listed, raylane, groups, actors, nodes);
		}
		catch (RuntimeException ex) {
			log.warn("reading Ray's placement groups and actors failed; keeping the last reading: {}",
					DeadLetter.reasonOf(ex));
		}
		return this.last;
	}

	/** Ray's answers are read again once the interval has passed since the last read. */
	private boolean due(List<RayJobDetails> listed, Instant now) {
		return this.lastRead == null || !now.isBefore(this.lastRead.plus(this.interval))
				|| listed.stream().allMatch((j) -> RayContract.isTerminal(j.status()));
	}

}
