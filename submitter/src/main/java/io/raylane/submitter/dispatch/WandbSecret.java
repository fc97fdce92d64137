package io.raylane.submitter.dispatch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.raylane.rayclient.wire.RayJobSubmitRequest;
import io.raylane.topics.job.JobSpec;

/**
 * Weights &amp; Biases for jobs whose spec enables it. {@code WANDB_BASE_URL} comes from
 * configuration: its redacted form ({@link WandbUrls#redact}: user info and
 * secret-looking query values as {@code ***}) joins the runtime_env everyone sees; the
 * full URL and the API key, read from a secret file, are added only to the request POSTed
 * to Ray ({@link #withKey}), so neither the key nor a secret in the URL is ever in a
 * Kafka record, a log line, {@code runtime_env.json} or {@code submit_cmd.txt}. A job's
 * own {@code env} wins over the base URL.
 *
 * @param baseUrl {@code raylane.submitter.wandb.base-url}, e.g. a self-hosted server;
 * null = wandb's default
 * @param apiKeyFile {@code raylane.submitter.wandb.api-key-file}: a file holding only the
 * key
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

	/**
	 * The request with {@code WANDB_BASE_URL} added for a W&amp;B job, redacted (safe to
	 * record): what the job directory and logs show.
	 */
	RayJobSubmitRequest withBaseUrl(RayJobSubmitRequest request, JobSpec spec) {
		if (!enabled(spec) || !hasBaseUrl()) {
			return request;
		}
		return withVar(request, BASE_URL, WandbUrls.redact(this.baseUrl), false);
	}

	/**
	 * The request as sent to Ray: with the API key of a W&amp;B job and the full base URL
	 * in place of its redacted form. Never log or store the result.
	 * @param recorded the request {@link #withBaseUrl} gave
	 * @return empty when the job wants W&amp;B but no key can be read
	 */
	Optional<RayJobSubmitRequest> withKey(RayJobSubmitRequest recorded, JobSpec spec) {
		if (!enabled(spec)) {
			return Optional.of(recorded);
		}
		if (this.apiKeyFile == null || !Files.isReadable(this.apiKeyFile)) {
			return Optional.empty();
		}
		String key;
		try {
			key = Files.readString(this.apiKeyFile, StandardCharsets.UTF_8).strip();
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		if (key.isEmpty()) {
			return Optional.empty();
		}
		RayJobSubmitRequest sent = withVar(recorded, API_KEY, key, true);
		// only the value this class put there is replaced: a job's own WANDB_BASE_URL
		// stays as the job set it
		if (hasBaseUrl() && WandbUrls.redact(this.baseUrl).equals(envVars(sent).get(BASE_URL))) {
			sent = withVar(sent, BASE_URL, this.baseUrl, true);
		}
		return Optional.of(sent);
	}

	/**
	 * {@code text} (e.g. Ray's answer to the request sent) with the API key and the full
	 * base URL of {@code sent} replaced by redacted forms, so it can go into a record or
	 * a log line.
	 */
	String scrub(String text, RayJobSubmitRequest sent) {
		return replaceSecrets(text, envVars(sent).get(API_KEY));
	}

	/**
	 * {@code text} with the configured API key (read from its file now) and the full base
	 * URL replaced by redacted forms: for log lines written where the request is not at
	 * hand (the Ray client's retry log).
	 */
	public String scrub(String text) {
		if (text == null || (!hasBaseUrl() && this.apiKeyFile == null)) {
			return text;
		}
		String key = null;
		try {
			if (this.apiKeyFile != null && Files.isReadable(this.apiKeyFile)) {
				key = Files.readString(this.apiKeyFile, StandardCharsets.UTF_8).strip();
			}
		}
		catch (IOException ex) {
			// no key to hide then
		}
		return replaceSecrets(text, key);
	}

	private String replaceSecrets(String text, String key) {
		if (text == null) {
			return null;
		}
		String clean = text;
		if (key != null && !key.isEmpty()) {
			clean = clean.replace(key, "***");
		}
		if (hasBaseUrl()) {
			clean = clean.replace(this.baseUrl, WandbUrls.redact(this.baseUrl));
		}
		return clean;
	}

	private boolean hasBaseUrl() {
		return this.baseUrl != null && !this.baseUrl.isBlank();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> envVars(RayJobSubmitRequest request) {
		Object vars = (request.runtimeEnv() != null) ? request.runtimeEnv().get("env_vars") : null;
		return (vars instanceof Map<?, ?> map) ? (Map<String, String>) map : Map.of();
	}

	@SuppressWarnings("unchecked")
	private static RayJobSubmitRequest withVar(RayJobSubmitRequest request, String name, String value,
			boolean override) {
		Map<String, Object> runtimeEnv = new LinkedHashMap<>(
				(request.runtimeEnv() != null) ? request.runtimeEnv() : Map.of());
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
		return "WandbSecret[baseUrl=" + (hasBaseUrl() ? WandbUrls.redact(this.baseUrl) : this.baseUrl) + ", apiKeyFile="
				+ this.apiKeyFile + "]";
	}

}
