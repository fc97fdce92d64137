package io.raylane.submitter.dispatch;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.raylane.rayclient.wire.RayJobSubmitRequest;
import io.raylane.submitter.jobdir.JobSecrets;
import io.raylane.topics.job.JobSpec;

/**
 * Weights &amp; Biases for jobs whose spec enables it, without a secret in what Ray is
 * sent: Ray returns a job's {@code runtime_env} and {@code metadata} to anyone who calls
 * {@code GET /api/jobs/} (docs/reference/ray-http.md §12). The runtime_env gets
 * {@code WANDB_BASE_URL} in its redacted form ({@link WandbUrls#redact}: user info and
 * secret-looking query values as {@code ***}) and {@code NETRC=<job dir>/secrets/netrc};
 * the job's own files ({@link JobSecrets}) get the API key of the job's user
 * ({@link WandbKeys}) and the full URL: {@code secrets/env}, which the entrypoint sources
 * (the driver and every process it starts see {@code WANDB_API_KEY}), and
 * {@code secrets/netrc}, where W&amp;B's client finds the key in Ray workers and actors,
 * which do not inherit the driver's environment (verl logs to W&amp;B from its task
 * runner actor; docs/reference/verl.md §5). A job's own {@code env} wins over the base
 * URL and {@code NETRC}.
 *
 * @param baseUrl {@code raylane.submitter.wandb.base-url}, e.g. a self-hosted server;
 * null = wandb's default
 * @param keys where each user's API key is found
 */
public record WandbSecret(String baseUrl, WandbKeys keys) {

	static final String BASE_URL = "WANDB_BASE_URL";

	static final String API_KEY = "WANDB_API_KEY";

	static final String NETRC = "NETRC";

	/** W&amp;B's API host when no base URL is configured. */
	static final String DEFAULT_HOST = "api.wandb.ai";

	/** Only the shared key file ({@code raylane.submitter.wandb.api-key-file}). */
	public WandbSecret(String baseUrl, Path apiKeyFile) {
		this(baseUrl, WandbKeys.global(apiKeyFile));
	}

	public static WandbSecret none() {
		return new WandbSecret(null, WandbKeys.global(null));
	}

	static boolean enabled(JobSpec spec) {
		return spec != null && spec.wandb() != null && Boolean.TRUE.equals(spec.wandb().enabled());
	}

	/**
	 * The request with {@code WANDB_BASE_URL} added for a W&amp;B job, redacted (safe to
	 * record and to send).
	 */
	RayJobSubmitRequest withBaseUrl(RayJobSubmitRequest request, JobSpec spec) {
		if (!enabled(spec) || !hasBaseUrl()) {
			return request;
		}
		return withVar(request, BASE_URL, WandbUrls.redact(this.baseUrl));
	}

	/** The API key of {@code user}'s W&amp;B jobs, or why there is none. */
	WandbKeys.Lookup keyFor(String user) {
		return this.keys.keyFor(user);
	}

	/**
	 * The request of a W&amp;B job that reads its secrets from {@code secretsDir}:
	 * {@code NETRC} points at the netrc file there, and the entrypoint sources the env
	 * file first ({@link JobSecrets#entrypoint}). Holds paths only: safe to record and to
	 * send.
	 */
	RayJobSubmitRequest readingSecrets(RayJobSubmitRequest request, Path secretsDir) {
		RayJobSubmitRequest withNetrc = withVar(request, NETRC, secretsDir.resolve(JobSecrets.NETRC_FILE).toString());
		return new RayJobSubmitRequest(JobSecrets.entrypoint(withNetrc.entrypoint(), secretsDir),
				withNetrc.submissionId(), withNetrc.runtimeEnv(), withNetrc.metadata(), withNetrc.entrypointNumCpus(),
				withNetrc.entrypointNumGpus(), withNetrc.entrypointResources(), withNetrc.entrypointLabelSelector());
	}

	/**
	 * The job's secrets: {@code WANDB_API_KEY}, the full {@code WANDB_BASE_URL} when its
	 * recorded form is redacted (and the job did not set its own), and a netrc entry for
	 * the W&amp;B host.
	 * @param request the request {@link #withBaseUrl} gave (the job's own variables)
	 * @throws IllegalArgumentException when the key holds white space or control
	 * characters (a netrc cannot carry it); the message does not quote it
	 */
	JobSecrets secrets(String key, RayJobSubmitRequest request) {
		if (!key.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
			throw new IllegalArgumentException("the W&B API key holds white space or control characters");
		}
		Map<String, String> env = new LinkedHashMap<>();
		env.put(API_KEY, key);
		if (hasBaseUrl() && !this.baseUrl.equals(WandbUrls.redact(this.baseUrl))
				&& WandbUrls.redact(this.baseUrl).equals(envVars(request).get(BASE_URL))) {
			env.put(BASE_URL, this.baseUrl);
		}
		String netrc = "machine " + host() + "\n  login user\n  password " + key + "\n";
		return new JobSecrets(env, netrc);
	}

	/**
	 * The host W&amp;B's client looks up in the netrc file: the base URL's (without
	 * port), else {@code api.wandb.ai}.
	 */
	String host() {
		if (!hasBaseUrl()) {
			return DEFAULT_HOST;
		}
		try {
			String host = URI.create(this.baseUrl.strip()).getHost();
			return (host != null) ? host : DEFAULT_HOST;
		}
		catch (IllegalArgumentException ex) {
			return DEFAULT_HOST;
		}
	}

	/**
	 * {@code text} with {@code key} and the full base URL replaced by redacted forms, so
	 * it can go into a record or a log line.
	 */
	String scrub(String text, String key) {
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

	/**
	 * {@code text} with the shared API key (read from its file now) and the full base URL
	 * replaced by redacted forms: for log lines written where the job is not at hand (the
	 * Ray client's retry log). Since no key is sent to Ray any more this is a second line
	 * of defence only.
	 */
	public String scrub(String text) {
		if (text == null) {
			return null;
		}
		String key = (this.keys.globalKeyFile() != null) ? WandbKeys.read(this.keys.globalKeyFile()) : null;
		return scrub(text, key);
	}

	private boolean hasBaseUrl() {
		return this.baseUrl != null && !this.baseUrl.isBlank();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> envVars(RayJobSubmitRequest request) {
		Object vars = (request.runtimeEnv() != null) ? request.runtimeEnv().get("env_vars") : null;
		return (vars instanceof Map<?, ?> map) ? (Map<String, String>) map : Map.of();
	}

	/** The request with {@code name} set in its env_vars unless the job set it. */
	@SuppressWarnings("unchecked")
	private static RayJobSubmitRequest withVar(RayJobSubmitRequest request, String name, String value) {
		Map<String, Object> runtimeEnv = new LinkedHashMap<>(
				(request.runtimeEnv() != null) ? request.runtimeEnv() : Map.of());
		Map<String, String> vars = new TreeMap<>();
		Object existing = runtimeEnv.get("env_vars");
		if (existing instanceof Map<?, ?> map) {
			vars.putAll((Map<String, String>) map);
		}
		vars.putIfAbsent(name, value);
		runtimeEnv.put("env_vars", vars);
		return new RayJobSubmitRequest(request.entrypoint(), request.submissionId(), runtimeEnv, request.metadata(),
				request.entrypointNumCpus(), request.entrypointNumGpus(), request.entrypointResources(),
				request.entrypointLabelSelector());
	}

	@Override
	public String toString() {
		return "WandbSecret[baseUrl=" + (hasBaseUrl() ? WandbUrls.redact(this.baseUrl) : this.baseUrl) + ", keys="
				+ this.keys + "]";
	}

}
