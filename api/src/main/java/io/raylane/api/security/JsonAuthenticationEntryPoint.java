package io.raylane.api.security;

import java.io.IOException;

import io.raylane.api.errors.ErrorBody;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers 401 for a missing or unknown bearer token: Spring's
 * {@link BearerTokenAuthenticationEntryPoint} sets the status and the
 * {@code WWW-Authenticate: Bearer ...} header, then the JSON error body is written.
 */
final class JsonAuthenticationEntryPoint implements AuthenticationEntryPoint {

	private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		this.bearer.commence(request, response, ex);
		ErrorBody body = (ex instanceof OAuth2AuthenticationException)
				? new ErrorBody("invalid_token", null, "the bearer token is not valid")
				: new ErrorBody("unauthenticated", null, "send Authorization: Bearer <token>");
		JsonErrorWriter.write(response, response.getStatus(), body);
	}

}
