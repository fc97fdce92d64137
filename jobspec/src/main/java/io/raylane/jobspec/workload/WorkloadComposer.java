package io.raylane.jobspec.workload;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.Workload;

/**
 * Turns a valid JobSpec into what Ray runs: the entrypoint (every value single-quoted)
 * and the runtime_env. Pure, per workload and verl version (see docs/reference/verl.md
 * §2):
 * <ul>
 * <li>{@code command}: the user's command as written;</li>
 * <li>{@code ppo} / {@code grpo}:
 * {@code python3 -m verl.trainer.main_ppo <overrides>};</li>
 * <li>{@code sft}: {@code python3 -m verl.trainer.sft_trainer_ray} where the version has
 * it (0.7.0 and later), else
 * {@code torchrun --standalone --nnodes=1 --nproc_per_node=K -m verl.trainer.sft_trainer}
 * on one node, whose driver then reserves the K GPUs itself
 * ({@link Composition#entrypointNumGpus()});</li>
 * <li>{@code nccl_check}: NVIDIA nccl-tests' {@code all_reduce_perf} under
 * {@code mpirun}, once per pair of the gang's nodes ({@link NcclCheck}).</li>
 * </ul>
 * verl workloads start in {@code <jobDir>/logs}, so Hydra's output folder
 * ({@code outputs/<date>/<time>/.hydra}, relative to the working directory) lands in the
 * job's {@code logs/}. The runtime_env's {@code env_vars} are {@code HF_HOME} = the
 * shared Hugging Face cache ({@code <shared root>/hf}, issue 16 item 5), then the pool's
 * defaults, then the job's {@code env} (each later one wins: a pool with a node-local
 * cache, or a job with its own, sets {@code HF_HOME} itself), then {@code code_path}
 * first on {@code PYTHONPATH}. The scheduler's SubmissionComposer calls this; the
 * submitter calls {@link #compose} again only to write {@code config/overrides.txt}.
 */
public final class WorkloadComposer {

	private WorkloadComposer() {
	}

	public static Composition compose(JobSpec spec, ComposeContext ctx) {
		Workload workload = Workload.parse(spec.workload())
			.orElseThrow(() -> new IllegalArgumentException("unknown workload '" + spec.workload() + "'"));
		Map<String, Object> runtimeEnv = runtimeEnv(spec, ctx);
		if (workload == Workload.COMMAND) {
			return new Composition(spec.command(), runtimeEnv, List.of(), null);
		}
		if (workload == Workload.NCCL_CHECK) {
			return new Composition(NcclCheck.entrypoint(spec, ctx, runtimeEnv), runtimeEnv, List.of(), null);
		}
		List<String> overrides = overrides(spec, ctx);
		// the launcher words are constants; every override (values from the user) is
		// single-quoted
		StringBuilder entrypoint = new StringBuilder("cd ").append(ShellQuote.quote(ctx.jobDir() + "/logs"))
			.append(" && exec ")
			.append(String.join(" ", launcher(spec)));
		overrides.forEach((o) -> entrypoint.append(' ').append(ShellQuote.quote(o)));
		Double gpus = (workload == Workload.SFT && !raySft(spec))
				? Double.valueOf(spec.resourcesOrDefault().gpusPerNode()) : null;
		return new Composition(entrypoint.toString(), runtimeEnv, overrides, gpus);
	}

	/**
	 * The full override list of a verl workload: Raylane's, then the user's, one per
	 * element. A key the user overrides (validation lets them only where Raylane's value
	 * is a default or derived from another field) is left out of Raylane's part, so the
	 * command says each key once.
	 */
	public static List<String> overrides(JobSpec spec, ComposeContext ctx) {
		List<String> user = new ArrayList<>();
		Set<String> userKeys = new HashSet<>();
		if (spec.overrides() != null) {
			for (String o : spec.overrides()) {
				Optional<Override> parsed = Override.parse(o);
				user.add(parsed.map(Override::text).orElse(o));
				parsed.ifPresent((p) -> userKeys.add(p.key()));
			}
		}
		List<String> overrides = new ArrayList<>();
		VerlArgs.of(spec, ctx)
			.stream()
			.filter((arg) -> arg.kind() != VerlArgs.Kind.DEFAULT || !userKeys.contains(arg.key()))
			.forEach((arg) -> overrides.add(arg.text()));
		overrides.addAll(user);
		return overrides;
	}

	/** GPUs the driver must reserve itself (torchrun SFT), else null. */
	public static Double entrypointNumGpus(JobSpec spec) {
		boolean torchrun = Workload.parse(spec.workload()).orElse(Workload.COMMAND) == Workload.SFT && !raySft(spec);
		return torchrun ? Double.valueOf(spec.resourcesOrDefault().gpusPerNode()) : null;
	}

	/** Whether an SFT spec runs on verl's Ray trainer (the version has one). */
	static boolean raySft(JobSpec spec) {
		return VerlArgs.version(spec).hasRaySft();
	}

	private static List<String> launcher(JobSpec spec) {
		Workload workload = Workload.parse(spec.workload()).orElseThrow();
		if (workload != Workload.SFT) {
			return List.of("python3", "-m", VerlVersion.PPO_MODULE);
		}
		VerlVersion version = VerlArgs.version(spec);
		if (version.hasRaySft()) {
			return List.of("python3", "-m", version.sftModule());
		}
		return List.of("torchrun", "--standalone", "--nnodes=1",
				"--nproc_per_node=" + spec.resourcesOrDefault().gpusPerNode(), "-m", version.sftModule());
	}

	/**
	 * verl's SFT trainers log {@code Total training steps: N} at INFO through a logger
	 * whose level is {@code VERL_SFT_LOGGING_LEVEL}, WARN by default
	 * ({@code verl/trainer/sft_trainer.py}, {@code sft_trainer_ray.py}, 0.6.1 to 0.9.1);
	 * Hydra's job logging prints INFO to stdout, so INFO puts the total in the driver log
	 * for the progress reading (issue 13 item 6).
	 */
	static final String SFT_LOGGING_LEVEL = "VERL_SFT_LOGGING_LEVEL";

	/** Hugging Face's cache root variable (models, datasets, tokens). */
	public static final String HF_HOME = "HF_HOME";

	/** {@code {"env_vars": {...}}} with sorted keys, or empty when no variable is set. */
	public static Map<String, Object> runtimeEnv(JobSpec spec, ComposeContext ctx) {
		Map<String, String> vars = new TreeMap<>();
		if (ctx.hfHome() != null) {
			// one cache for every job: a model downloaded once is read by all
			vars.put(HF_HOME, ctx.hfHome());
		}
		vars.putAll(ctx.poolEnv());
		if (Workload.parse(spec.workload()).orElse(Workload.COMMAND) == Workload.SFT) {
			vars.put(SFT_LOGGING_LEVEL, "INFO");
		}
		vars.putAll(spec.envOrEmpty());
		if (spec.codePath() != null && !spec.codePath().isBlank()) {
			// Ray expands ${PYTHONPATH} from the node's environment
			// (docs/reference/ray-http.md §3)
			String rest = spec.envOrEmpty().getOrDefault("PYTHONPATH", "${PYTHONPATH}");
			vars.put("PYTHONPATH", spec.codePath() + ":" + rest);
		}
		Map<String, Object> env = new LinkedHashMap<>();
		if (!vars.isEmpty()) {
			env.put("env_vars", vars);
		}
		return env;
	}

}
