package io.raylane.api.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.raylane.api.errors.ApiException;
import io.raylane.topics.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.http.HttpStatus;

/**
 * The bodies of {@code /v1/ops}, read strictly and within bounds like those of
 * {@code /v1/nodes}: an unknown or duplicate field, a value of the wrong type or trailing
 * data is a 400 naming the field; a body over {@link #MAX_BODY_BYTES} is 413.
 */
final class OpsRequests {

	static final int MAX_BODY_BYTES = 16 * 1024;

	private static final ObjectMapper STRICT = Json.mapper()
		.rebuild()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	/**
	 * {@code POST /v1/ops/drain_node}.
	 *
	 * @param nodeId the node to drain (required)
	 * @param deadline when the jobs still running are stopped (an instant)
	 * @param timeout or a duration from now ({@code 10m}); at most one of the two
	 * @param reason why, shown on the node and in the reason of the jobs stopped
	 * @param dryRun answer what would happen, change nothing
	 */
	record DrainNodeRequest(String nodeId, Instant deadline, String timeout, String reason, Boolean dryRun) {
	}

	/**
	 * {@code POST /v1/ops/restart_ray_head}.
	 *
	 * @param force end the jobs Ray holds instead of refusing
	 * @param dryRun answer what would happen, change nothing
	 */
	record RestartRayHeadRequest(Boolean force, Boolean dryRun) {
	}

	private OpsRequests() {
	}

	static <T> T read(InputStream body, Class<T> type, T empty) throws IOException {
		byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
		if (bytes.length > MAX_BODY_BYTES) {
			throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "body_too_large", null,
					"the request may be at most " + MAX_BODY_BYTES + " bytes");
		}
		if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
			return empty;
		}
		try {
			T value = STRICT.readValue(bytes, type);
			return (value != null) ? value : empty;
		}
		catch (UnrecognizedPropertyException ex) {
			throw ApiException
				.badRequest("invalid_parameter", ex.getPropertyName(),
						"unknown field '" + ex.getPropertyName() + "' (known: "
								+ String.join(", ",
										ex.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList())
								+ ")");
		}
		catch (MismatchedInputException ex) {
			String field = ex.getPath().isEmpty() ? null : ex.getPath().get(ex.getPath().size() - 1).getPropertyName();
			throw ApiException.badRequest("invalid_parameter", field,
					((field != null) ? field + ": " : "") + ex.getOriginalMessage());
		}
		catch (JacksonException ex) {
			throw ApiException.badRequest("invalid_json", null, "not a JSON object: " + ex.getOriginalMessage());
		}
	}

}
