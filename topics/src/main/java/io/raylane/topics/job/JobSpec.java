package io.raylane.topics.job;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a user asks Raylane to run, as accepted (snake_case on the wire, JSON or YAML). Validation lives in
 * {@link JobSpecValidator}; the workloads issue adds verl's fields. Fields are only ever added.
 *
 * @param name a short human name (not unique; the job id is)
 * @param workload {@code command}, {@code ppo}, {@code grpo} or {@code sft}
 * @param command the shell command of a {@code command} workload
 * @param pool the pool whose nodes run the job ({@code default} when absent)
 * @param resources the gang: nodes × GPUs per node
 * @param timeout wall-clock limit once running, e.g. {@code 10m}, {@code 2h30m}, {@code PT1H}
 * @param env extra environment variables for the driver and every process it starts
 */
public record JobSpec(String name, String workload, String command, String pool, Resources resources, String timeout,
		Map<String, String> env) {

	public static final String DEFAULT_POOL = "default";

	public String poolOrDefault() {
		return (this.pool != null && !this.pool.isBlank()) ? this.pool : DEFAULT_POOL;
	}

	public Resources resourcesOrDefault() {
		return (this.resources != null) ? this.resources : new Resources(null, null);
	}

	public Map<String, String> envOrEmpty() {
		return (this.env != null) ? this.env : Map.of();
	}

	/** The parsed timeout, if one was given and it parses. */
	public Optional<Duration> timeoutDuration() {
		return Durations.parse(this.timeout);
	}

	/** The same spec with defaults filled in, as the scheduler and the job directory record it. */
	public JobSpec withDefaults() {
		Resources r = resourcesOrDefault();
		return new JobSpec(this.name, this.workload, this.command, poolOrDefault(),
				Resources.of(r.nodes(), r.gpusPerNode()), this.timeout, envOrEmpty());
	}

}
