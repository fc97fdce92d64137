package io.raylane.observer.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.raylane.observer.accounting.AccountedJob;
import io.raylane.observer.gpu.GpuSample;
import io.raylane.topics.events.Alert;

/**
 * The idle-GPU state of every running job across polls: plans the next states and alerts
 * with {@link IdleGpuDetector}, and keeps them only when the poll's transaction
 * committed. Jobs that stop running are forgotten (the job ending ends tracking).
 * Episodes restored from {@code raylane.alerts} at start-up continue as already alerted,
 * so a restart does not alert twice for the same idle stretch.
 */
public final class IdleWatch {

	private final IdleGpuDetector detector;

	private final Map<String, IdleState> states = new HashMap<>();

	private final Map<String, Instant> restored = new HashMap<>();

	/**
	 * @param restored per job, the start of its latest alerted gpu_idle episode
	 */
	public IdleWatch(IdleGpuDetector detector, Map<String, Instant> restored) {
		this.detector = detector;
		this.restored.putAll(restored);
	}

	public synchronized Plan plan(List<AccountedJob> running, Function<String, List<GpuSample>> samples, Instant now) {
		Map<String, IdleState> next = new HashMap<>();
		List<Alert> alerts = new ArrayList<>();
		for (AccountedJob job : running) {
			IdleGpuDetector.Decision decision = this.detector.evaluate(job, state(job.jobId()),
					samples.apply(job.jobId()), now);
			next.put(job.jobId(), decision.state());
			decision.alert().ifPresent(alerts::add);
		}
		return new Plan(next, List.copyOf(alerts));
	}

	/** Keeps a committed plan; jobs not in it (not running any more) are forgotten. */
	public synchronized void commit(Plan plan) {
		this.states.clear();
		this.states.putAll(plan.states());
		this.restored.keySet().retainAll(plan.states().keySet());
	}

	public synchronized IdleState state(String jobId) {
		IdleState state = this.states.get(jobId);
		if (state != null) {
			return state;
		}
		return Optional.ofNullable(this.restored.get(jobId)).map(IdleState::restored).orElse(IdleState.NONE);
	}

	/** The jobs in an idle episode whose alert is out. */
	public synchronized Set<String> alerted() {
		return this.states.entrySet()
			.stream()
			.filter((e) -> e.getValue().idle() && e.getValue().alerted())
			.map(Map.Entry::getKey)
			.collect(Collectors.toSet());
	}

	/**
	 * What a poll would change.
	 *
	 * @param states the next state of every running job
	 * @param alerts the alerts to publish with it
	 */
	public record Plan(Map<String, IdleState> states, List<Alert> alerts) {
	}

}
