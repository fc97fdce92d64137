package io.raylane.api.security;

import java.io.IOException;

import io.raylane.api.errors.ErrorBody;
import io.raylane.topics.json.Json;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;

/**
 * Writes an {@link ErrorBody} from a security filter, where no controller advice runs.
 */
final class JsonErrorWriter {

	private JsonErrorWriter() {
	}

	static void write(HttpServletResponse response, int status, ErrorBody body) throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.getOutputStream().write(Json.write(body));
	}

}
