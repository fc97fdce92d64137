package io.raylane.topics.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.PoolNames;

/**
 * Checks a NodeSpec before anything is written. Pure: the API refuses a bad spec with
 * 400, the scheduler and the node-agent refuse records of other producers with the same
 * rules. The rules are deliberately narrow (host names, IPs, POSIX user names, Ray label
 * syntax), so shell metacharacters never get as far as the quoting that guards every
 * command line anyway.
 */
public final class NodeSpecValidator {

	static final Pattern NODE_ID = PoolNames.PATTERN;

	/**
	 * A DNS name or IPv4 address; IPv6 literals are hex digits and colons. No shell
	 * metacharacter fits either.
	 */
	static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|[0-9A-Fa-f:]{2,39}");

	static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

	/** A file name in the agent's key directory: no path separator, no leading dot. */
	static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

	static final Pattern LABEL_KEY = Pattern.compile(
			"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

	static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

	static final int MAX_GPUS = 64;

	private NodeSpecValidator() {
	}

	/** Every problem of the spec, in field order; empty when it is valid. */
	public static List<FieldError> validate(NodeSpec spec) {
		List<FieldError> errors = new ArrayList<>();
		if (spec == null) {
			errors.add(new FieldError("", "a NodeSpec is required"));
			return errors;
		}
		check(errors, "node_id", spec.nodeId(), NODE_ID, "must be lower-case letters, digits and '-' (at most 63)");
		check(errors, "host", spec.host(), HOST, "must be a host name or an IP address");
		if (spec.port() != null && (spec.port() < 1 || spec.port() > 65535)) {
			errors.add(new FieldError("port", "must be between 1 and 65535"));
		}
		check(errors, "user", spec.user(), USER, "must be a POSIX user name (lower case, digits, '_' or '-')");
		if (spec.pool() != null && !PoolNames.PATTERN.matcher(spec.pool()).matches()) {
			errors.add(new FieldError("pool", "must be lower-case letters, digits and '-' (at most 63)"));
		}
		if (spec.gpus() != null && (spec.gpus() < 0 || spec.gpus() > MAX_GPUS)) {
			errors.add(new FieldError("gpus", "must be between 0 and " + MAX_GPUS));
		}
		if (spec.sshKey() != null && !KEY_NAME.matcher(spec.sshKey()).matches()) {
			errors.add(new FieldError("ssh_key",
					"must name a key file in the node-agent's key directory (letters, digits, '.', '_', '-'; no path)"));
		}
		for (Map.Entry<String, String> label : spec.labels().entrySet()) {
			if (label.getKey() == null || !LABEL_KEY.matcher(label.getKey()).matches()
					|| label.getKey().startsWith("ray.io/") || label.getKey().startsWith("raylane.io/")) {
				// ray.io/ is Ray's; raylane.io/node and raylane.io/pool are set by the
				// node-agent and keep jobs on their reserved nodes (docs/scheduling.md)
				errors.add(new FieldError("labels." + label.getKey(),
						"is not a valid label name (ray.io/ and raylane.io/ are reserved)"));
			}
			else if (label.getValue() == null || !LABEL_VALUE.matcher(label.getValue()).matches()) {
				errors.add(new FieldError("labels." + label.getKey(),
						"must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"));
			}
		}
		return errors;
	}

	private static void check(List<FieldError> errors, String field, String value, Pattern pattern, String message) {
		if (value == null || value.isBlank()) {
			errors.add(new FieldError(field, "is required"));
		}
		else if (!pattern.matcher(value).matches()) {
			errors.add(new FieldError(field, message));
		}
	}

}
