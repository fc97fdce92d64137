package io.raylane.jobspec.workload;

import java.util.List;
import java.util.Map;

/**
 * What Ray is asked to run for a job.
 *
 * @param entrypoint the shell command, every value single-quoted
 * @param runtimeEnv Ray's runtime_env ({@code env_vars} only; empty when no variable is
 * set)
 * @param overrides the Hydra overrides of a verl workload, in order (empty for
 * {@code command}); written to {@code config/overrides.txt}
 * @param entrypointNumGpus GPUs the driver itself needs (torchrun SFT), else null
 */
public record Composition(String entrypoint, Map<String, Object> runtimeEnv, List<String> overrides,
		Double entrypointNumGpus) {
}
