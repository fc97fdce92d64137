package io.raylane.api.security;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

import static org.assertj.core.api.Assertions.assertThat;

class JsonAuthenticationEntryPointTest {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final JsonAuthenticationEntryPoint entryPoint = new JsonAuthenticationEntryPoint(this.registry);

	@Test
	void shouldAnswer401WithBearerChallengeAndJsonWhenTheTokenIsMissing() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.entryPoint.commence(new MockHttpServletRequest("GET", "/v1/jobs"), response,
				new InsufficientAuthenticationException("Full authentication is required"));

		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
		assertThat(response.getContentAsString()).isEqualTo(
				"{\"error\":\"unauthenticated\",\"field\":null,\"detail\":\"send Authorization: Bearer <token>\"}");
	}

	@Test
	void shouldAnswer401WithInvalidTokenWhenTheTokenIsUnknown() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();

		this.entryPoint.commence(new MockHttpServletRequest("GET", "/v1/jobs"), response,
				new InvalidBearerTokenException("unknown bearer token"));

		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer").contains("invalid_token");
		assertThat(response.getContentAsString()).contains("\"error\":\"invalid_token\"");
	}

	@Test
	void shouldCountEveryFailedLoginByReason() throws Exception {
		for (int i = 0; i < 3; i++) {
			this.entryPoint.commence(new MockHttpServletRequest("GET", "/v1/jobs"), new MockHttpServletResponse(),
					new InvalidBearerTokenException("unknown bearer token"));
		}
		this.entryPoint.commence(new MockHttpServletRequest("POST", "/v1/jobs"), new MockHttpServletResponse(),
				new InsufficientAuthenticationException("Full authentication is required"));

		assertThat(failedLogins("invalid_token")).isEqualTo(3.0);
		assertThat(failedLogins("missing_token")).isEqualTo(1.0);
	}

	private double failedLogins(String reason) {
		return this.registry.get("raylane.api.failed.logins").tag("reason", reason).counter().count();
	}

}
