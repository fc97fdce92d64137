package io.raylane.jobspec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.raylane.jobspec.workload.StoragePolicy;
import io.raylane.jobspec.workload.WorkloadChecks;
import io.raylane.topics.job.Durations;
import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.PoolNames;
import io.raylane.topics.job.Resources;
import io.raylane.topics.job.Workload;

/**
 * Checks a JobSpec before anything is written. Pure: no I/O, so the API, the scheduler
 * (for records from other producers) and tests share one set of rules.
 */
public final class JobSpecValidator {

	static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

	static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

	static final Pattern LABEL_KEY = Pattern.compile(
			"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

	static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

	static final int MAX_NODES = 1024;

	static final int MAX_GPUS_PER_NODE = 64;

	/**
	 * The longest timeout a JobSpec may ask for unless configured otherwise
	 * ({@code raylane.jobs.max-timeout}): every deadline the scheduler computes from it
	 * stays far inside what an {@link java.time.Instant} and the deadline index hold
	 * (issue 12: {@code timeout: 1000000000000d} froze its pool).
	 */
	public static final Duration DEFAULT_MAX_TIMEOUT = Duration.ofDays(30);

	private JobSpecValidator() {
	}

	/**
	 * Every problem of the spec, in field order, with timeouts of at most
	 * {@link #DEFAULT_MAX_TIMEOUT}; empty when it is valid.
	 */
	public static List<FieldError> validate(JobSpec spec) {
		return validate(spec, DEFAULT_MAX_TIMEOUT);
	}

	/**
	 * Every problem of the spec, in field order; empty when it is valid.
	 * @param maxTimeout the longest timeout it may ask for
	 */
	public static List<FieldError> validate(JobSpec spec, Duration maxTimeout) {
		List<FieldError> errors = new ArrayList<>();
		if (spec == null) {
			errors.add(new FieldError("", "a JobSpec is required"));
			return errors;
		}
		if (spec.name() != null && !NAME.matcher(spec.name()).matches()) {
			errors.add(new FieldError("name",
					"must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit"));
		}
		Optional<Workload> workload = Workload.parse(spec.workload());
		if (spec.workload() == null || spec.workload().isBlank()) {
			errors.add(new FieldError("workload", "is required (one of: " + Workload.accepted() + ")"));
		}
		else if (workload.isEmpty()) {
			errors.add(new FieldError("workload",
					"unknown workload '" + spec.workload() + "' (one of: " + Workload.accepted() + ")"));
		}
		else if (workload.get() == Workload.COMMAND) {
			validateCommand(spec.command(), errors);
		}
		if (workload.isPresent()) {
			WorkloadChecks.check(spec, workload.get(), errors);
		}
		if (spec.pool() != null && !PoolNames.PATTERN.matcher(spec.pool()).matches()) {
			errors.add(new FieldError("pool", "must be lower-case letters, digits and '-' (at most 63)"));
		}
		validateResources(spec.resourcesOrDefault(), errors);
		validateTimeout(spec.timeout(), maxTimeout, errors);
		validateEnv(spec.envOrEmpty(), errors);
		EnvPolicy.check(spec, errors);
		validateNodeSelector(spec.nodeSelectorOrEmpty(), errors);
		// issue 12: last, since the dispatch record can only be composed from a valid
		// spec
		JobSpecSizes.check(spec, errors.isEmpty(), errors);
		return errors;
	}

	/**
	 * {@link #validate(JobSpec)} plus the storage policy of the spec's paths for this
	 * caller (no disk access; see {@link StoragePolicy}).
	 */
	public static List<FieldError> validate(JobSpec spec, String user, java.nio.file.Path sharedRoot) {
		return validate(spec, DEFAULT_MAX_TIMEOUT, new StoragePolicy(sharedRoot, user));
	}

	/**
	 * {@link #validate(JobSpec, Duration)} plus the storage policy of the spec's paths
	 * (no disk access; see {@link StoragePolicy}).
	 */
	public static List<FieldError> validate(JobSpec spec, Duration maxTimeout, StoragePolicy storage) {
		List<FieldError> errors = validate(spec, maxTimeout);
		if (spec != null) {
			errors.addAll(storage.check(spec));
		}
		return errors;
	}

	/**
	 * A duration as users write it: {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}
	 * when it is a whole number of that unit, ISO-8601 otherwise.
	 */
	public static String format(Duration duration) {
		long seconds = duration.getSeconds();
		if (duration.getNano() != 0 || seconds == 0) {
			return duration.toString();
		}
		if (seconds % 86400 == 0) {
			return (seconds / 86400) + "d";
		}
		if (seconds % 3600 == 0) {
			return (seconds / 3600) + "h";
		}
		return (seconds % 60 == 0) ? (seconds / 60) + "m" : seconds + "s";
	}

	private static void validateTimeout(String text, Duration maxTimeout, List<FieldError> errors) {
		if (text == null) {
			return;
		}
		Optional<Duration> timeout = Durations.parse(text);
		if (timeout.isEmpty()) {
			errors.add(new FieldError("timeout", "'" + text + "' is not a duration (e.g. 90s, 10m, 2h30m)"));
		}
		else if (timeout.get().isZero() || timeout.get().isNegative()) {
			errors.add(new FieldError("timeout", "must be positive"));
		}
		else if (timeout.get().compareTo(maxTimeout) > 0) {
			errors.add(new FieldError("timeout",
					"'" + text + "' is longer than this installation allows: must be at most " + format(maxTimeout)));
		}
	}

	private static void validateCommand(String command, List<FieldError> errors) {
		if (command == null || command.isBlank()) {
			errors.add(new FieldError("command", "is required for workload 'command'"));
		}
		else if (command.indexOf('\0') >= 0) {
			errors.add(new FieldError("command", "must not contain NUL characters"));
		}
	}

	private static void validateResources(Resources resources, List<FieldError> errors) {
		if (resources.nnodes() != null && (resources.nnodes() < 1 || resources.nnodes() > MAX_NODES)) {
			errors.add(new FieldError("resources.nnodes", "must be between 1 and " + MAX_NODES));
		}
		if (resources.nGpusPerNode() != null
				&& (resources.nGpusPerNode() < 0 || resources.nGpusPerNode() > MAX_GPUS_PER_NODE)) {
			errors.add(new FieldError("resources.n_gpus_per_node", "must be between 0 and " + MAX_GPUS_PER_NODE));
		}
	}

	/** Label keys and values follow Ray's (Kubernetes') label syntax. */
	private static void validateNodeSelector(Map<String, String> selector, List<FieldError> errors) {
		for (Map.Entry<String, String> entry : selector.entrySet()) {
			if (entry.getKey() == null || !LABEL_KEY.matcher(entry.getKey()).matches()) {
				errors.add(new FieldError("node_selector." + entry.getKey(), "is not a valid label name"));
			}
			else if (entry.getValue() == null || !LABEL_VALUE.matcher(entry.getValue()).matches()) {
				errors.add(new FieldError("node_selector." + entry.getKey(),
						"must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"));
			}
		}
	}

	private static void validateEnv(Map<String, String> env, List<FieldError> errors) {
		for (Map.Entry<String, String> entry : env.entrySet()) {
			if (entry.getKey() == null || !ENV_KEY.matcher(entry.getKey()).matches()) {
				errors.add(new FieldError("env." + entry.getKey(), "is not a valid environment variable name"));
			}
			else if (entry.getValue() == null) {
				errors.add(new FieldError("env." + entry.getKey(), "must have a string value"));
			}
			else if (entry.getValue().indexOf('\0') >= 0) {
				errors.add(new FieldError("env." + entry.getKey(), "must not contain NUL characters"));
			}
		}
	}

}
