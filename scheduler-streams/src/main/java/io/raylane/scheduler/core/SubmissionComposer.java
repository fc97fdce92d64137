package io.raylane.scheduler.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.raylane.jobspec.workload.ComposeContext;
import io.raylane.jobspec.workload.Composition;
import io.raylane.jobspec.workload.WorkloadComposer;
import io.raylane.rayclient.wire.RayContract;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.JobView;

/**
 * Turns an admitted job into the {@code SubmitToRay} command the submitter carries out.
 * The entrypoint and the runtime_env come from {@link WorkloadComposer} (command, verl
 * PPO / GRPO / SFT; code_path on PYTHONPATH; the pool's default environment under the
 * job's).
 */
public final class SubmissionComposer {

	private SubmissionComposer() {
	}

	/**
	 * The command for a job dispatched onto {@code view.nodes()}, without pool default
	 * environment.
	 */
	public static SubmitToRay compose(JobView view) {
		return compose(view, Map.of(), List.of());
	}

	/**
	 * The command for a job dispatched onto {@code view.nodes()}.
	 * @param poolEnv the pool's default environment variables (the job's {@code env}
	 * wins)
	 * @param nodeIps the IPs of {@code view.nodes()}, in the same order (the observer
	 * attributes GPU metrics by them)
	 */
	public static SubmitToRay compose(JobView view, Map<String, String> poolEnv, List<String> nodeIps) {
		return compose(view, poolEnv, nodeIps, null);
	}

	/**
	 * The command for a job dispatched onto {@code view.nodes()}.
	 * @param poolEnv the pool's default environment variables (the job's {@code env}
	 * wins)
	 * @param nodeIps the IPs of {@code view.nodes()}, in the same order (the observer
	 * attributes GPU metrics by them; {@code nccl_check} tests each pair)
	 * @param hfHome the shared Hugging Face cache ({@code <shared root>/hf}), the jobs'
	 * default {@code HF_HOME}; null = none
	 */
	public static SubmitToRay compose(JobView view, Map<String, String> poolEnv, List<String> nodeIps, String hfHome) {
		JobSpec spec = view.spec();
		Composition composition = WorkloadComposer.compose(spec,
				new ComposeContext(view.jobId(), view.jobDir(), view.user(), poolEnv, hfHome, view.nodes(), nodeIps));
		return new SubmitToRay(SubmitToRay.SCHEMA_VERSION, view.jobId(), view.user(), view.pool(), spec,
				composition.entrypoint(), composition.runtimeEnv(), entrypointResources(view.pool()),
				metadata(view, nodeIps), view.jobDir(), List.copyOf(view.nodes()));
	}

	/**
	 * The shared Hugging Face cache under {@code sharedRoot}: {@code <root>/hf}
	 * (docs/architecture.md, "Shared storage layout"); null without a root.
	 */
	public static String hfHome(java.nio.file.Path sharedRoot) {
		return (sharedRoot != null)
				? sharedRoot.toAbsolutePath().normalize().resolve(ComposeContext.HF_FOLDER).toString() : null;
	}

	/**
	 * Ray's runtime_env of a spec without pool defaults: {@code {"env_vars": ...}}, or
	 * empty.
	 */
	public static Map<String, Object> runtimeEnv(JobSpec spec) {
		return WorkloadComposer.runtimeEnv(spec, new ComposeContext(null, null, null, Map.of()));
	}

	/**
	 * Always the pool resource: a submission that asks for no resource is pinned to the
	 * head by Ray, so the driver must ask for one unit of {@code raylane-pool-<pool>} to
	 * land on a worker of its pool.
	 */
	public static Map<String, Double> entrypointResources(String pool) {
		return Map.of(RayContract.poolResource(pool), 1.0);
	}

	/**
	 * Ray's metadata of a job: who owns it, where it runs and what it holds, so that
	 * Ray's own job list is enough for the observer to account for the job (GPUs × Ray's
	 * running time) and to attribute GPU metrics to it.
	 */
	public static Map<String, String> metadata(JobView view, List<String> nodeIps) {
		Map<String, String> metadata = new LinkedHashMap<>();
		metadata.put(RayContract.META_JOB_ID, view.jobId());
		metadata.put(RayContract.META_USER, (view.user() != null) ? view.user() : "");
		metadata.put(RayContract.META_POOL, view.pool());
		if (view.workload() != null) {
			metadata.put(RayContract.META_WORKLOAD, view.workload());
		}
		int gpus = (view.resources() != null) ? view.resources().totalGpus() : 0;
		metadata.put(RayContract.META_GPUS, Integer.toString(gpus));
		if (nodeIps != null && !nodeIps.isEmpty()) {
			metadata.put(RayContract.META_NODE_IPS, String.join(",", nodeIps));
		}
		return metadata;
	}

}
