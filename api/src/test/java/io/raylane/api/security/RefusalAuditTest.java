package io.raylane.api.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refused requests are audited (issue 12): who (never the token), what they tried, and
 * the status.
 */
class RefusalAuditTest {

	static final String TOKEN = "alice-token-0123456789abcd";

	final List<String> audited = new ArrayList<>();

	final RefusalAudit filter = new RefusalAudit(
			new UserDirectory(List.of(new ApiUser("alice", Set.of(Role.USER), UserDirectory.sha256(TOKEN)))),
			(user, action, subject, outcome, remote) -> this.audited
				.add(String.join(" | ", user, action, subject, outcome, remote)));

	static Stream<Arguments> refusals() {
		return Stream.of(
				Arguments.of("an invalid JobSpec", "POST", "/v1/jobs", "Bearer " + TOKEN, 400,
						"alice | submit_job | POST /v1/jobs | refused: 400 | 127.0.0.1"),
				Arguments.of("no token", "POST", "/v1/jobs", null, 401,
						"anonymous | submit_job | POST /v1/jobs | refused: 401 | 127.0.0.1"),
				Arguments.of("a token nobody has", "GET", "/v1/usage", "Bearer guessed-token", 401,
						"unknown-token | request | GET /v1/usage | refused: 401 | 127.0.0.1"),
				Arguments.of("a user managing nodes", "DELETE", "/v1/nodes/n1", "bearer " + TOKEN, 403,
						"alice | decommission_node | n1 | refused: 403 | 127.0.0.1"),
				Arguments.of("a stop of a job", "POST", "/v1/jobs/rl-1:stop", "Bearer " + TOKEN, 400,
						"alice | stop_job | rl-1 | refused: 400 | 127.0.0.1"),
				Arguments.of("a drain", "POST", "/v1/nodes/n1:drain", "Bearer " + TOKEN, 403,
						"alice | drain_node | n1 | refused: 403 | 127.0.0.1"),
				Arguments.of("a user cleaning up job artifacts", "POST", "/v1/ops/cleanup_job_artifacts",
						"Bearer " + TOKEN, 403,
						"alice | cleanup_job_artifacts | POST /v1/ops/cleanup_job_artifacts | refused: 403 | 127.0.0.1"),
				Arguments.of("an ops drain", "POST", "/v1/ops/drain_node", "Bearer " + TOKEN, 403,
						"alice | drain_node | POST /v1/ops/drain_node | refused: 403 | 127.0.0.1"),
				Arguments.of("a Ray head restart", "POST", "/v1/ops/restart_ray_head", "Bearer " + TOKEN, 403,
						"alice | restart_ray_head | POST /v1/ops/restart_ray_head | refused: 403 | 127.0.0.1"),
				Arguments.of("a body too large", "POST", "/v1/nodes", "Bearer " + TOKEN, 413,
						"alice | register_node | POST /v1/nodes | refused: 413 | 127.0.0.1"),
				Arguments.of("a body that is not JSON or YAML", "POST", "/v1/jobs", "Bearer " + TOKEN, 415,
						"alice | submit_job | POST /v1/jobs | refused: 415 | 127.0.0.1"),
				Arguments.of("a job beyond the user's max_jobs", "POST", "/v1/jobs", "Bearer " + TOKEN, 429,
						"alice | submit_job | POST /v1/jobs | refused: 429 | 127.0.0.1"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void refusals(String scenario, String method, String path, String authorization, int status, String want)
			throws Exception {
		answer(method, path, authorization, status);

		assertThat(this.audited).containsExactly(want);
		assertThat(String.join("", this.audited)).doesNotContain("guessed-token").doesNotContain(TOKEN);
	}

	@Test
	void shouldNotAuditWhatWasNotRefused() throws Exception {
		for (int status : new int[] { 200, 202, 404, 409, 500, 503 }) {
			answer("POST", "/v1/jobs", "Bearer " + TOKEN, status);
		}

		assertThat(this.audited).isEmpty();
	}

	private void answer(String method, String path, String authorization, int status) throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest(method, path);
		if (authorization != null) {
			request.addHeader("Authorization", authorization);
		}
		this.filter.doFilter(request, new MockHttpServletResponse(),
				(req, res) -> ((MockHttpServletResponse) res).setStatus(status));
	}

}
