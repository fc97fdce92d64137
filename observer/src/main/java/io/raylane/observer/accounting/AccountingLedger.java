package io.raylane.observer.accounting;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.raylane.observer.gpu.GpuSample;
import io.raylane.topics.events.GpuUsage;

/**
 * Cuts each accounted job's time on Ray into {@link GpuUsage} interval records for
 * {@code raylane.accounting}. Pure: no clock, no Kafka; the poll passes Ray's job list
 * and {@code now}, publishes the {@link Plan}'s records in its transaction and
 * {@link #commit commits} the plan only once the broker committed them.
 * <p>
 * Interval {@code i} of a job is {@code [start + i·P, start + (i+1)·P)} from Ray's
 * {@code start_time}. While the job runs, interval {@code i} is written (non-final) once
 * {@code now} has passed its end. When Ray reports the job terminal with
 * {@code end_time}, every remaining interval is written and the one holding
 * {@code end_time} ends at it and is final (ending exactly on a boundary: the last full
 * interval is the final one; {@code end == start}: one final record of 0 GPU-seconds). So
 * after an outage the missed intervals are caught up, and a job's GPU-seconds add up to
 * {@code gpus × (end − start)} to the millisecond. Ids are {@code <job id>/<index>}, the
 * same whoever computes them.
 * <p>
 * Caveat: intervals are closed by the observer's clock against Ray's start time. If the
 * observer's clock runs ahead of the head's, a job ending right after a boundary may
 * already have that interval written as non-final; the final record is then an empty
 * interval at the end of the last one written (the sum is off by the clock skew at most).
 */
public final class AccountingLedger {

	private final long periodMs;

	private final Map<String, LedgerPosition> positions = new HashMap<>();

	/**
	 * @param period {@code raylane.observer.accounting-interval}
	 * @param restored positions rebuilt from the accounting topic at start-up
	 */
	public AccountingLedger(Duration period, Map<String, LedgerPosition> restored) {
		if (period.toMillis() <= 0) {
			throw new IllegalArgumentException("raylane.observer.accounting-interval must be positive: " + period);
		}
		this.periodMs = period.toMillis();
		this.positions.putAll(restored);
	}

	/** The records due at {@code now}; nothing is remembered until {@link #commit}. */
	public synchronized Plan plan(List<AccountedJob> jobs, Instant now, Function<String, List<GpuSample>> samples) {
		List<GpuUsage> records = new ArrayList<>();
		Map<String, LedgerPosition> after = new LinkedHashMap<>();
		for (AccountedJob job : jobs) {
			LedgerPosition position = this.positions.getOrDefault(job.jobId(), LedgerPosition.START);
			List<GpuUsage> due = due(job, position, now.toEpochMilli(), samples.apply(job.jobId()));
			for (GpuUsage record : due) {
				position = position.after(record.intervalIndex(), record.isFinal());
			}
			if (!due.isEmpty()) {
				records.addAll(due);
				after.put(job.jobId(), position);
			}
		}
		Set<String> listed = jobs.stream().map(AccountedJob::jobId).collect(Collectors.toSet());
		return new Plan(List.copyOf(records), after, listed);
	}

	/** Remembers a committed plan and forgets the jobs Ray no longer lists. */
	public synchronized void commit(Plan plan) {
		this.positions.putAll(plan.positions());
		this.positions.keySet().retainAll(plan.listed());
	}

	/**
	 * Start of the first interval of the job still to be written (its samples must be
	 * kept from there on); empty once the final record is written.
	 */
	public synchronized Optional<Instant> pendingFrom(AccountedJob job) {
		LedgerPosition position = this.positions.getOrDefault(job.jobId(), LedgerPosition.START);
		return position.finalWritten() ? Optional.empty()
				: Optional.of(Instant.ofEpochMilli(job.startMs() + position.nextIndex() * this.periodMs));
	}

	public synchronized Optional<LedgerPosition> position(String jobId) {
		return Optional.ofNullable(this.positions.get(jobId));
	}

	private List<GpuUsage> due(AccountedJob job, LedgerPosition position, long now, List<GpuSample> samples) {
		if (position.finalWritten()) {
			return List.of();
		}
		long start = job.startMs();
		List<GpuUsage> due = new ArrayList<>();
		if (job.ended()) {
			long end = Math.max(job.endMs(), start);
			// the interval holding end_time; an end on a boundary closes the interval
			// before it
			long last = (end == start) ? 0 : (end - start - 1) / this.periodMs;
			for (long i = position.nextIndex(); i <= last; i++) {
				long from = start + i * this.periodMs;
				due.add(record(job, i, from, Math.min(from + this.periodMs, end), i == last, samples));
			}
			if (position.nextIndex() > last) {
				// clock skew: the interval holding end_time was already written as
				// non-final
				long from = start + position.nextIndex() * this.periodMs;
				due.add(record(job, position.nextIndex(), from, from, true, samples));
			}
			return due;
		}
		for (long i = position.nextIndex(); start + (i + 1) * this.periodMs <= now; i++) {
			long from = start + i * this.periodMs;
			due.add(record(job, i, from, from + this.periodMs, false, samples));
		}
		return due;
	}

	private static GpuUsage record(AccountedJob job, long index, long fromMs, long toMs, boolean last,
			List<GpuSample> samples) {
		Instant from = Instant.ofEpochMilli(fromMs);
		Instant to = Instant.ofEpochMilli(toMs);
		List<GpuSample> in = (samples == null) ? List.of()
				: samples.stream().filter((s) -> !s.at().isBefore(from) && s.at().isBefore(to)).toList();
		Double avg = in.isEmpty() ? null
				: in.stream().mapToDouble(GpuSample::utilizationPercent).average().orElseThrow();
		Double peak = in.stream()
			.map(GpuSample::memoryMib)
			.filter(java.util.Objects::nonNull)
			.max(Double::compare)
			.orElse(null);
		return new GpuUsage(GpuUsage.SCHEMA_VERSION, GpuUsage.idOf(job.jobId(), index), job.jobId(), job.user(),
				job.pool(), job.workload(), job.gpus(), index, from, to, GpuUsage.gpuSeconds(job.gpus(), from, to),
				last, avg, peak);
	}

	/**
	 * What one poll would write.
	 *
	 * @param records the due records, per job in interval order
	 * @param positions each job's position once they are committed
	 * @param listed the accounted jobs Ray listed (the others are forgotten on commit)
	 */
	public record Plan(List<GpuUsage> records, Map<String, LedgerPosition> positions, Set<String> listed) {
	}

}
