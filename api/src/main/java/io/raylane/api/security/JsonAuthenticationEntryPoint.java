package io.raylane.api.security;

import java.io.IOException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * {@code WWW-Authenticate: Bearer ...} header, then the JSON error body is written. Each
 * one is a failed login, counted by reason.
 */
final class JsonAuthenticationEntryPoint implements AuthenticationEntryPoint {

	private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();

	private final Counter invalidToken;

	private final Counter missingToken;

	/**
	 * @param registry where failed logins are counted (issue 12):
	 * {@code raylane_api_failed_logins_total{reason="invalid_token"|"missing_token"}}
	 */
	JsonAuthenticationEntryPoint(MeterRegistry registry) {
		this.invalidToken = counter(registry, "invalid_token");
		this.missingToken = counter(registry, "missing_token");
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		this.bearer.commence(request, response, ex);
		boolean invalid = ex instanceof OAuth2AuthenticationException;
		(invalid ? this.invalidToken : this.missingToken).increment();
		ErrorBody body = invalid ? new ErrorBody("invalid_token", null, "the bearer token is not valid")
				: new ErrorBody("unauthenticated", null, "send Authorization: Bearer <token>");
		JsonErrorWriter.write(response, response.getStatus(), body);
	}

	private static Counter counter(MeterRegistry registry, String reason) {
		return Counter.builder("raylane.api.failed.logins")
			.description("requests answered 401: a bearer token no user has, or none")
			.tag("reason", reason)
			.register(registry);
	}

}
