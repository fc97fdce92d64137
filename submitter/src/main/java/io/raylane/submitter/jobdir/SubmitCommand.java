package io.raylane.submitter.jobdir;

import java.util.Map;

import io.raylane.jobspec.workload.ShellQuote;
import io.raylane.rayclient.wire.RayJobSubmitRequest;
import io.raylane.rayclient.wire.RayJson;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code ray job submit} command line equivalent to a submission, written to
 * {@code config/submit_cmd.txt} so an operator can re-run a job by hand. Pure; every
 * value is single-quoted.
 */
public final class SubmitCommand {

	/**
	 * Sorted keys, so the same submission always gives the same file (a redelivery
	 * rewrites identical bytes).
	 */
	static final JsonMapper JSON = RayJson.requestMapper()
		.rebuild()
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.build();

	private SubmitCommand() {
	}

	/**
	 * @param rayAddress the dashboard address ({@code raylane.ray.address})
	 * @param request what is POSTed to Ray
	 * @return {@code ray job submit --address=... --submission-id=... --runtime-env-json=...
	 * --entrypoint-resources=... --metadata-json=... --no-wait -- '<entrypoint>'}
	 */
	public static String of(String rayAddress, RayJobSubmitRequest request) {
		return "ray job submit" + " --address=" + ShellQuote.quote(rayAddress) + " --submission-id="
				+ ShellQuote.quote(request.submissionId()) + " --runtime-env-json="
				+ ShellQuote.quote(json(request.runtimeEnv())) + " --entrypoint-resources="
				+ ShellQuote.quote(json(request.entrypointResources())) + " --metadata-json="
				+ ShellQuote.quote(json(request.metadata())) + labelSelector(request) + " --no-wait -- "
				+ ShellQuote.quote(request.entrypoint());
	}

	/**
	 * {@code --entrypoint-label-selector=<json>} when the driver has one (Ray 2.60's
	 * {@code ray job submit}, dashboard/modules/job/cli.py), else nothing.
	 */
	private static String labelSelector(RayJobSubmitRequest request) {
		return (request.entrypointLabelSelector() != null)
				? " --entrypoint-label-selector=" + ShellQuote.quote(json(request.entrypointLabelSelector())) : "";
	}

	/** Compact JSON with sorted keys; a missing map is {@code {}}. */
	public static String json(Map<String, ?> value) {
		return JSON.writeValueAsString((value != null) ? value : Map.of());
	}

}
