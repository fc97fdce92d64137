package io.raylane.observer.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.raylane.observer.accounting.AccountedJob;
import io.raylane.observer.gpu.GpuSample;
import io.raylane.topics.events.Alert;

/**
 * Decides when a running job's GPUs are idle (pure). An idle episode starts at the first
 * sample under the threshold (at the first sample, or after a busy one); when every
 * sample since then stayed under it and {@code now − episode start ≥ window}, one
 * {@code gpu_idle} {@link Alert} is raised for the episode. A sample at or over the
 * threshold ends the episode, so a later idle episode alerts again. No samples, no
 * decision. The poll publishes the alert on {@code raylane.alerts} in its transaction and
 * keeps the returned state only after commit.
 */
public final class IdleGpuDetector {

	private final double thresholdPercent;

	private final Duration window;

	/**
	 * @param thresholdPercent {@code raylane.observer.idle-gpu-threshold}
	 * @param window {@code raylane.observer.idle-gpu-window}
	 */
	public IdleGpuDetector(double thresholdPercent, Duration window) {
		this.thresholdPercent = thresholdPercent;
		this.window = window;
	}

	/**
	 * A job's new state after its samples newer than {@code state.lastSampleAt()}, and
	 * the alert it raises.
	 */
	public Decision evaluate(AccountedJob job, IdleState state, List<GpuSample> samples, Instant now) {
		IdleState s = state;
		for (GpuSample sample : samples) {
			if (s.lastSampleAt() != null && !sample.at().isAfter(s.lastSampleAt())) {
				continue;
			}
			double u = sample.utilizationPercent();
			if (u >= this.thresholdPercent) {
				s = new IdleState(null, 0, 0, false, sample.at());
			}
			else if (!s.idle()) {
				s = new IdleState(sample.at(), u, 1, false, sample.at());
			}
			else {
				s = new IdleState(s.episodeStart(), Math.max(s.maxUtilization(), u), s.samples() + 1, s.alerted(),
						sample.at());
			}
		}
		if (s.idle() && !s.alerted() && s.samples() > 0
				&& Duration.between(s.episodeStart(), now).compareTo(this.window) >= 0) {
			IdleState alerted = new IdleState(s.episodeStart(), s.maxUtilization(), s.samples(), true,
					s.lastSampleAt());
			return new Decision(alerted, Optional.of(alert(job, alerted, now)));
		}
		return new Decision(s, Optional.empty());
	}

	private Alert alert(AccountedJob job, IdleState s, Instant now) {
		Map<String, Object> evidence = new LinkedHashMap<>();
		evidence.put("user", job.user());
		evidence.put("pool", job.pool());
		evidence.put("gpus", job.gpus());
		evidence.put("node_ips", job.nodeIps());
		evidence.put("threshold_percent", number(this.thresholdPercent));
		evidence.put("window_seconds", this.window.toSeconds());
		evidence.put("max_utilization_percent", s.maxUtilization());
		evidence.put("samples", s.samples());
		evidence.put("since", s.episodeStart().toString());
		// a job submitted without user or pool metadata still alerts (Alert's evidence
		// map takes no nulls)
		evidence.values().removeIf(java.util.Objects::isNull);
		String summary = "job " + job.jobId() + " of " + job.user() + " holds " + job.gpus()
				+ " GPUs that stayed under " + number(this.thresholdPercent) + "% for " + human(this.window);
		return new Alert(Alert.SCHEMA_VERSION, Alert.idOf(Alert.GPU_IDLE, job.jobId(), s.episodeStart()),
				Alert.GPU_IDLE, Alert.SEVERITY_WARNING, job.jobId(), summary, evidence, now);
	}

	/** 5 rather than 5.0 when the threshold is whole. */
	private static Number number(double value) {
		return (value == Math.rint(value) && Math.abs(value) < 1e9) ? (Number) (long) value : (Number) value;
	}

	/** 15m, 1h, 90s: the way the window is configured. */
	static String human(Duration d) {
		long seconds = d.toSeconds();
		if (seconds % 3600 == 0 && seconds > 0) {
			return (seconds / 3600) + "h";
		}
		if (seconds % 60 == 0 && seconds > 0) {
			return (seconds / 60) + "m";
		}
		return seconds + "s";
	}

	/** The job's next state and the alert to publish with it, if any. */
	public record Decision(IdleState state, Optional<Alert> alert) {
	}

}
