package io.raylane.observer.alerts;

import java.time.Instant;

/**
 * Where a running job's idle-GPU watch stands after the samples up to
 * {@code lastSampleAt}.
 *
 * @param episodeStart time of the first sample under the threshold of the current idle
 * episode, null when busy
 * @param maxUtilization highest utilization seen in the episode
 * @param samples samples in the episode
 * @param alerted whether the episode's {@code gpu_idle} alert is published
 * @param lastSampleAt the last sample taken into account (null: none yet)
 */
public record IdleState(Instant episodeStart, double maxUtilization, int samples, boolean alerted,
		Instant lastSampleAt) {

	public static final IdleState NONE = new IdleState(null, 0, 0, false, null);

	/**
	 * An episode already alerted before a restart (from {@code raylane.alerts}): it must
	 * not alert again.
	 */
	public static IdleState restored(Instant episodeStart) {
		return new IdleState(episodeStart, 0, 0, true, null);
	}

	public boolean idle() {
		return this.episodeStart != null;
	}

}
