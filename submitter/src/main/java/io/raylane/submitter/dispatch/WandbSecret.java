package io.raylane.submitter.dispatch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.raylane.topics.job.JobSpec;
import io.raylane.topics.ray.RayJobSubmitRequest;

/**
 * Weights &amp; Biases for jobs whose spec enables it. {@code WANDB_BASE_URL} (configuration, not secret) joins the
 * runtime_env everyone sees; the API key is read from a secret file and added only to the request POSTed to Ray
 * ({@link #withKey}), so it is never in a Kafka record, a log line, {@code runtime_env.json} or
 * {@code submit_cmd.txt}. A job's own {@code env} wins over the base URL.
 *
 * @param baseUrl {@code raylane.submitter.wandb.base-url}, e.g. a self-hosted server; null = wandb's default
 * @param apiKeyFile {@code raylane.submitter.wandb.api-key-file}: a file holding only the key
 */
public record WandbSecret(String baseUrl, Path apiKeyFile) {

	static final String BASE_URL = "WANDB_BASE_URL";

	static final String API_KEY = "WANDB_API_KEY";

	public static WandbSecret none() {
		return new WandbSecret(null, null);
	}

	static boolean enabled(JobSpec spec) {
		return spec != null && spec.wandb() != null && Boolean.TRUE.equals(spec.wandb().enabled());
	}

	/** The request with {@code WANDB_BASE_URL} added for a W&amp;B job (safe to record). */
	RayJobSubmitRequest withBaseUrl(RayJobSubmitRequest request, JobSpec spec) {
		if (!enabled(spec) || this.baseUrl == null || this.baseUrl.isBlank()) {
			return request;
		}
		return withVar(request, BASE_URL, this.baseUrl, false);
	}

	/**
	 * The request as sent to Ray: with the API key of a W&amp;B job. Never log or store the result.
	 * @return empty when the job wants W&amp;B but no key can be read
	 */
	Optional<RayJobSubmitRequest> withKey(RayJobSubmitRequest request, JobSpec spec) {
		if (!enabled(spec)) {
			return Optional.of(request);
		}
		if (this.apiKeyFile == null || !Files.isReadable(this.apiKeyFile)) {
			return Optional.empty();
		}
		try {
			String key = Files.readString(this.apiKeyFile, StandardCharsets.UTF_8).strip();
			return key.isEmpty() ? Optional.empty() : Optional.of(withVar(request, API_KEY, key, true));
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	@SuppressWarnings("unchecked")
	private static RayJobSubmitRequest withVar(RayJobSubmitRequest request, String name, String value,
			boolean override) {
		Map<String, Object> runtimeEnv = new LinkedHashMap<>((request.runtimeEnv() != null) ? request.runtimeEnv() : Map.of());
		Map<String, String> vars = new TreeMap<>();
		Object existing = runtimeEnv.get("env_vars");
		if (existing instanceof Map<?, ?> map) {
			vars.putAll((Map<String, String>) map);
		}
		if (override || !vars.containsKey(name)) {
			vars.put(name, value);
		}
		runtimeEnv.put("env_vars", vars);
		return new RayJobSubmitRequest(request.entrypoint(), request.submissionId(), runtimeEnv, request.metadata(),
				request.entrypointNumCpus(), request.entrypointNumGpus(), request.entrypointResources());
	}

	@Override
	public String toString() {
		return "WandbSecret[baseUrl=" + this.baseUrl + ", apiKeyFile=" + this.apiKeyFile + "]";
	}

}
