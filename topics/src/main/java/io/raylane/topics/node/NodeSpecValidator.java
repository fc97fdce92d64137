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

	/** An environment variable name as POSIX shells take it, upper case only. */
	static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,127}");

	/**
	 * Names that look like credentials: a NodeSpec travels in plain text on
	 * {@code raylane.node-events} and {@code raylane.node-commands}, so a secret has no
	 * place in it (the Ray token has its own channel, RAYLANE_RAY_AUTH_TOKEN_FILE).
	 */
	static final Pattern ENV_SECRET = Pattern
		.compile(".*(TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_KEY|API_KEY).*");

	static final int MAX_ENV = 32;

	static final int MAX_ENV_VALUE = 1024;

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
		if (spec.role() != null && !NodeSpec.ROLE_WORKER.equals(spec.role()) && !spec.isHead()) {
			errors.add(new FieldError("role", "must be worker or head"));
		}
		if (spec.isHead() && spec.gpusOrZero() != 0) {
			errors.add(new FieldError("gpus", "must be 0 on the head: the head runs no work (--num-gpus=0)"));
		}
		env(errors, spec.envOrEmpty());
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

	/**
	 * Names {@code [A-Z_][A-Z0-9_]*}, none that looks like a secret nor Ray's own token
	 * variables, values without NUL, CR or LF (one line each on the command's stdin),
	 * bounded in number and size.
	 */
	private static void env(List<FieldError> errors, Map<String, String> env) {
		if (env.size() > MAX_ENV) {
			errors.add(new FieldError("env", "must have at most " + MAX_ENV + " variables"));
			return;
		}
		for (Map.Entry<String, String> variable : env.entrySet()) {
			String name = variable.getKey();
			String value = variable.getValue();
			if (!ENV_NAME.matcher(name).matches()) {
				errors.add(new FieldError("env." + name,
						"is not a valid name (upper-case letters, digits and '_', not starting with a digit)"));
			}
			else if (ENV_SECRET.matcher(name).matches() || name.startsWith("RAY_AUTH_")) {
				errors.add(new FieldError("env." + name,
						"looks like a secret: a NodeSpec is stored in plain text, so it carries none"));
			}
			else if (value == null || value.length() > MAX_ENV_VALUE || value.indexOf('\n') >= 0
					|| value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
				errors.add(new FieldError("env." + name,
						"must be at most " + MAX_ENV_VALUE + " characters on one line (no NUL, CR or LF)"));
			}
		}
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
