package io.raylane.topics.job;

import java.util.List;

/**
 * Why a job failed, as the failure classifier read it from the driver log and Ray's
 * message.
 *
 * @param category resources, placement, hydra_config, config, data, model, reward,
 * oom_gpu, oom_host, nccl, runtime_env, user_code or unknown
 * @param evidence the log lines that show it
 * @param hint one line on what to do
 */
public record Failure(String category, List<String> evidence, String hint) {
}
