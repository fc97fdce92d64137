package io.raylane.scheduler.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.Workload;
import io.raylane.topics.ray.RayContract;

/**
 * Turns an admitted job into the {@code SubmitToRay} command the submitter carries out. The workloads issue
 * grows {@link #entrypoint} (verl's PPO / GRPO / SFT) and {@link #runtimeEnv} (code_path on PYTHONPATH).
 */
public final class SubmissionComposer {

	private SubmissionComposer() {
	}

	/** The command for a job dispatched onto {@code view.nodes()}. */
	public static SubmitToRay compose(JobView view) {
		JobSpec spec = view.spec();
		return new SubmitToRay(SubmitToRay.SCHEMA_VERSION, view.jobId(), view.user(), view.pool(), spec,
				entrypoint(spec), runtimeEnv(spec), entrypointResources(view.pool()),
				metadata(view.jobId(), view.user(), view.pool()), view.jobDir(), List.copyOf(view.nodes()));
	}

	/** The shell command Ray runs. */
	public static String entrypoint(JobSpec spec) {
		Workload workload = Workload.parse(spec.workload())
			.orElseThrow(() -> new IllegalArgumentException("unknown workload '" + spec.workload() + "'"));
		return switch (workload) {
			case COMMAND -> spec.command();
			// the validator refuses these until the workloads issue composes their command lines
			case PPO, GRPO, SFT -> throw new IllegalArgumentException(
					"workload '" + workload.wireName() + "' has no entrypoint yet");
		};
	}

	/** Ray's runtime_env: {@code {"env_vars": ...}}, or empty when the spec sets no variable. */
	public static Map<String, Object> runtimeEnv(JobSpec spec) {
		Map<String, Object> env = new LinkedHashMap<>();
		if (!spec.envOrEmpty().isEmpty()) {
			env.put("env_vars", Map.copyOf(spec.envOrEmpty()));
		}
		return env;
	}

	/**
	 * Always the pool resource: a submission that asks for no resource is pinned to the head by Ray, so the
	 * driver must ask for one unit of {@code raylane-pool-<pool>} to land on a worker of its pool.
	 */
	public static Map<String, Double> entrypointResources(String pool) {
		return Map.of(RayContract.poolResource(pool), 1.0);
	}

	public static Map<String, String> metadata(String jobId, String user, String pool) {
		Map<String, String> metadata = new LinkedHashMap<>();
		metadata.put(RayContract.META_JOB_ID, jobId);
		metadata.put(RayContract.META_USER, (user != null) ? user : "");
		metadata.put(RayContract.META_POOL, pool);
		return metadata;
	}

}
