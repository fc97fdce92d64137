package io.raylane.scheduler.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.JobView;
import io.raylane.topics.ray.RayContract;
import io.raylane.topics.workload.ComposeContext;
import io.raylane.topics.workload.Composition;
import io.raylane.topics.workload.WorkloadComposer;

/**
 * Turns an admitted job into the {@code SubmitToRay} command the submitter carries out. The entrypoint and the
 * runtime_env come from {@link WorkloadComposer} (command, verl PPO / GRPO / SFT; code_path on PYTHONPATH;
 * the pool's default environment under the job's).
 */
public final class SubmissionComposer {

	private SubmissionComposer() {
	}

	/** The command for a job dispatched onto {@code view.nodes()}, without pool default environment. */
	public static SubmitToRay compose(JobView view) {
		return compose(view, Map.of());
	}

	/**
	 * The command for a job dispatched onto {@code view.nodes()}.
	 * @param poolEnv the pool's default environment variables (the job's {@code env} wins)
	 */
	public static SubmitToRay compose(JobView view, Map<String, String> poolEnv) {
		JobSpec spec = view.spec();
		Composition composition = WorkloadComposer.compose(spec,
				new ComposeContext(view.jobId(), view.jobDir(), view.user(), poolEnv));
		return new SubmitToRay(SubmitToRay.SCHEMA_VERSION, view.jobId(), view.user(), view.pool(), spec,
				composition.entrypoint(), composition.runtimeEnv(), entrypointResources(view.pool()),
				metadata(view.jobId(), view.user(), view.pool()), view.jobDir(), List.copyOf(view.nodes()));
	}

	/** Ray's runtime_env of a spec without pool defaults: {@code {"env_vars": ...}}, or empty. */
	public static Map<String, Object> runtimeEnv(JobSpec spec) {
		return WorkloadComposer.runtimeEnv(spec, new ComposeContext(null, null, null, Map.of()));
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
