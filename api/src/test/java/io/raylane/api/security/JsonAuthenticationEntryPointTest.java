package io.raylane.api.security;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

import static org.assertj.core.api.Assertions.assertThat;

class JsonAuthenticationEntryPointTest {

	private final JsonAuthenticationEntryPoint entryPoint = new JsonAuthenticationEntryPoint();

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

}
