package io.raylane.jobspec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.raylane.jobspec.workload.ComposeContext;
import io.raylane.jobspec.workload.Composition;
import io.raylane.jobspec.workload.WorkloadComposer;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * How much a JobSpec may carry, so that every record derived from it fits in one Kafka
 * record (issue 12: a 600 KB {@code env} was accepted, then the dispatch record, which
 * carries the env and the command twice, exceeded the broker's 1 MiB and the scheduler's
 * stream thread replayed it forever). Sizes are bytes of the JSON Raylane writes (UTF-8,
 * escapes included), not characters, because that is what the broker counts.
 * <p>
 * The records a spec becomes: {@code SubmitJob} (the spec), the {@code JobView} on
 * {@code raylane.job-states} and the scheduler's job table (the spec and a few hundred
 * bytes), and {@code SubmitToRay} on {@code raylane.dispatch} (the spec, the entrypoint,
 * the runtime_env with the pool's defaults, metadata). The limits keep the largest of
 * them, the dispatch record, at most {@link #MAX_DISPATCH_BYTES}: half of Kafka's default
 * 1 MiB ({@code message.max.bytes}, {@code max.request.size}), leaving the other half for
 * the pool's default environment, the job directory and what a later version adds. Pure.
 */
public final class JobSpecSizes {

	/** The {@code command} of a command job, as JSON. */
	public static final int MAX_COMMAND_BYTES = 64 * 1024;

	/** All of {@code env}, names and values, as JSON. */
	public static final int MAX_ENV_BYTES = 128 * 1024;

	/** All of {@code overrides}, as JSON. */
	public static final int MAX_OVERRIDES_BYTES = 64 * 1024;

	/** The whole spec, as JSON. */
	public static final int MAX_SPEC_BYTES = 256 * 1024;

	/** The dispatch record the spec becomes, without the pool's default environment. */
	public static final int MAX_DISPATCH_BYTES = 512 * 1024;

	/** A job id of the API's length, for measuring the dispatch record. */
	private static final String SAMPLE_JOB_ID = "rl-000000000000";

	/**
	 * A job directory longer than most: the measured dispatch record is the spec's own
	 * share, and the margin covers a longer root.
	 */
	private static final String SAMPLE_JOB_DIR = "/" + "shared/".repeat(16) + "jobs/" + SAMPLE_JOB_ID;

	private JobSpecSizes() {
	}

	/**
	 * Adds an error for every part of {@code spec} over its limit. The dispatch record is
	 * measured only when nothing else is wrong (composing it needs a valid spec).
	 * @param othersValid whether the spec has no other error
	 */
	static void check(JobSpec spec, boolean othersValid, List<FieldError> errors) {
		int before = errors.size();
		limit("command", bytes(spec.command()), MAX_COMMAND_BYTES, errors);
		limit("env", bytes(spec.env()), MAX_ENV_BYTES, errors);
		limit("overrides", bytes(spec.overrides()), MAX_OVERRIDES_BYTES, errors);
		if (errors.size() > before) {
			return;
		}
		int total = bytes(spec);
		if (total > MAX_SPEC_BYTES) {
			errors.add(new FieldError(largestPart(spec),
					"makes the JobSpec " + kib(total) + " of JSON; a JobSpec may be at most " + kib(MAX_SPEC_BYTES)));
			return;
		}
		if (othersValid) {
			Composition composition;
			try {
				composition = compose(spec);
			}
			catch (RuntimeException ex) {
				// the scheduler meets the same failure and rejects the job with it
				return;
			}
			int dispatch = bytes(dispatchRecord(spec, composition));
			if (dispatch > MAX_DISPATCH_BYTES) {
				errors.add(new FieldError(largestInDispatch(spec, composition),
						"makes the job's dispatch record " + kib(dispatch)
								+ " (it carries the command, env and overrides twice); at most "
								+ kib(MAX_DISPATCH_BYTES)));
			}
		}
	}

	/** Whether {@code spec} is larger than any record may carry. */
	public static boolean tooLarge(JobSpec spec) {
		return spec != null && bytes(spec) > MAX_SPEC_BYTES;
	}

	/**
	 * The spec without what made it too large (command, env, overrides), for the view of
	 * a job rejected for its size: the rejection must fit in a record too.
	 */
	public static JobSpec withoutBulk(JobSpec spec) {
		return new JobSpec(spec.name(), spec.workload(), null, spec.pool(), spec.resources(), spec.timeout(), null,
				spec.nodeSelector(), spec.verlVersion(), spec.model(), spec.data(), spec.trainer(), spec.checkpoint(),
				spec.codePath(), spec.reward(), spec.wandb(), null, spec.resumeFrom(), spec.resumeStep());
	}

	/**
	 * The size of the {@code SubmitToRay} record {@code spec} becomes, without the pool's
	 * default environment.
	 */
	static int dispatchBytes(JobSpec spec) {
		return bytes(dispatchRecord(spec, compose(spec)));
	}

	private static Composition compose(JobSpec spec) {
		return WorkloadComposer.compose(spec.withDefaults(),
				new ComposeContext(SAMPLE_JOB_ID, SAMPLE_JOB_DIR, "user", Map.of()));
	}

	private static SubmitToRay dispatchRecord(JobSpec spec, Composition composition) {
		JobSpec filled = spec.withDefaults();
		return new SubmitToRay(SubmitToRay.SCHEMA_VERSION, SAMPLE_JOB_ID, "user", filled.pool(), filled,
				composition.entrypoint(), composition.runtimeEnv(), Map.of(), Map.of(), SAMPLE_JOB_DIR, List.of());
	}

	/**
	 * The field that takes the most of the dispatch record: the command and env appear
	 * twice (the spec, the entrypoint or runtime_env), the overrides once as written and
	 * once shell-quoted in the entrypoint.
	 */
	private static String largestInDispatch(JobSpec spec, Composition composition) {
		int command = 2 * bytes(spec.command());
		int env = 2 * bytes(spec.env());
		int overrides = (spec.overrides() != null) ? bytes(spec.overrides()) + bytes(composition.entrypoint()) : 0;
		if (overrides >= command && overrides >= env) {
			return "overrides";
		}
		return (env >= command) ? "env" : "command";
	}

	/** The bytes of {@code value} as Raylane's JSON; 0 for null. */
	static int bytes(Object value) {
		return (value != null) ? Json.mapper().writeValueAsBytes(value).length : 0;
	}

	private static void limit(String field, int bytes, int max, List<FieldError> errors) {
		if (bytes > max) {
			errors.add(new FieldError(field, "is " + kib(bytes) + " of JSON; at most " + kib(max)));
		}
	}

	/**
	 * The field to name when the whole is too large: the top-level field taking the most
	 * bytes (in snake_case, as the user wrote it).
	 */
	private static String largestPart(JobSpec spec) {
		JsonNode tree = Json.mapper().valueToTree(spec);
		String largest = "";
		int most = -1;
		for (Map.Entry<String, JsonNode> field : tree.properties()) {
			int size = field.getValue().toString().getBytes(StandardCharsets.UTF_8).length;
			if (size > most) {
				most = size;
				largest = field.getKey();
			}
		}
		return largest;
	}

	private static String kib(int bytes) {
		return (bytes % 1024 == 0) ? (bytes / 1024) + " KiB" : String.format("%.1f KiB", bytes / 1024.0);
	}

}
