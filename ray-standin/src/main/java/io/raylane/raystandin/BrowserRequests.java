package io.raylane.raystandin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.sun.net.httpserver.Headers;
import io.raylane.rayclient.wire.RayJobDetails;

/**
 * Ray 2.60's rule for requests that come from a browser (its dashboard's
 * {@code is_browser_request}): a {@code User-Agent} starting with {@code Mozilla}, or any
 * of {@code Referer}, {@code Origin}, {@code Sec-Fetch-*} or
 * {@code Access-Control-Request-*}. Such a request may only read (GET, HEAD, OPTIONS;
 * anything else is a 405), and sees every {@code runtime_env.env_vars} value as
 * {@code <redacted>}.
 */
final class BrowserRequests {

	static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

	static final String REDACTED = "<redacted>";

	private static final List<String> BROWSER_HEADERS = List.of("Referer", "Origin", "Sec-Fetch-Mode", "Sec-Fetch-Dest",
			"Sec-Fetch-Site", "Sec-Fetch-User", "Access-Control-Request-Method", "Access-Control-Request-Headers");

	private BrowserRequests() {
	}

	static boolean isBrowser(Headers headers) {
		String agent = headers.getFirst("User-Agent");
		return (agent != null && agent.startsWith("Mozilla"))
				|| BROWSER_HEADERS.stream().anyMatch(headers::containsKey);
	}

	/** The job with its env var values masked (keys stay, so one sees what is set). */
	static RayJobDetails redacted(RayJobDetails job) {
		if (job.runtimeEnv() == null || !(job.runtimeEnv().get("env_vars") instanceof Map<?, ?> vars)) {
			return job;
		}
		Map<String, Object> masked = new LinkedHashMap<>();
		vars.keySet().forEach((name) -> masked.put(String.valueOf(name), REDACTED));
		Map<String, Object> runtimeEnv = new LinkedHashMap<>(job.runtimeEnv());
		runtimeEnv.put("env_vars", masked);
		return new RayJobDetails(job.type(), job.jobId(), job.submissionId(), job.driverInfo(), job.status(),
				job.entrypoint(), job.message(), job.errorType(), job.startTime(), job.endTime(), job.metadata(),
				runtimeEnv, job.driverAgentHttpAddress(), job.driverNodeId(), job.driverExitCode());
	}

}
