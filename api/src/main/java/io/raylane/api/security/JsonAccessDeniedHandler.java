package io.raylane.api.security;

import java.io.IOException;

import io.raylane.api.errors.ErrorBody;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Answers 403 with the JSON error body when an authenticated caller lacks the role a path
 * needs.
 */
final class JsonAccessDeniedHandler implements AccessDeniedHandler {

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
			throws IOException {
		JsonErrorWriter.write(response, HttpServletResponse.SC_FORBIDDEN,
				new ErrorBody("forbidden", null, "this call needs the admin role"));
	}

}
