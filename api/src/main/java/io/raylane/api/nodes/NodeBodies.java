package io.raylane.api.nodes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import io.raylane.api.errors.ApiException;
import io.raylane.api.nodes.NodeResponses.DrainRequest;
import io.raylane.topics.json.Json;
import io.raylane.topics.node.NodeSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.http.HttpStatus;

/**
 * Reads the bodies of {@code /v1/nodes} strictly and within bounds (issue 12): at most
 * {@link #MAX_BODY_BYTES} are read (a longer body is 413 without being held in memory),
 * and an unknown field, a duplicate field or trailing data is a 400 naming it, because a
 * typo silently ignored (e.g. {@code "gpu": 8}) would register the wrong node.
 */
final class NodeBodies {

	/** Far above a NodeSpec with an SSH private key (a few KB). */
	static final int MAX_BODY_BYTES = 64 * 1024;

	private static final ObjectMapper STRICT = Json.mapper()
		.rebuild()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private NodeBodies() {
	}

	/** The NodeSpec of {@code POST /v1/nodes}. */
	static NodeSpec nodeSpec(InputStream body) throws IOException {
		byte[] bytes = bounded(body, "a NodeSpec");
		try {
			NodeSpec spec = STRICT.readValue(bytes, NodeSpec.class);
			if (spec == null) {
				throw ApiException.badRequest("invalid_node_spec", null, "a NodeSpec JSON object is required");
			}
			return spec;
		}
		catch (UnrecognizedPropertyException ex) {
			throw ApiException.badRequest("invalid_node_spec", ex.getPropertyName(),
					"unknown field '" + ex.getPropertyName() + "' (known: " + known(ex) + ")");
		}
		catch (JacksonException ex) {
			throw ApiException.badRequest("invalid_json", null, "not a NodeSpec: " + ex.getOriginalMessage());
		}
	}

	/** The optional body of {@code POST /v1/nodes/{id}:drain}; null when empty. */
	static DrainRequest drainRequest(InputStream body) throws IOException {
		byte[] bytes = bounded(body, "a drain request");
		if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
			return null;
		}
		try {
			return STRICT.readValue(bytes, DrainRequest.class);
		}
		catch (UnrecognizedPropertyException ex) {
			throw ApiException.badRequest("invalid_parameter", ex.getPropertyName(),
					"unknown field '" + ex.getPropertyName() + "' (known: " + known(ex) + ")");
		}
		catch (JacksonException ex) {
			throw ApiException.badRequest("invalid_json", "deadline",
					"not a drain request: " + ex.getOriginalMessage());
		}
	}

	private static byte[] bounded(InputStream body, String what) throws IOException {
		byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
		if (bytes.length > MAX_BODY_BYTES) {
			throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "body_too_large", null,
					what + " may be at most " + MAX_BODY_BYTES + " bytes");
		}
		return bytes;
	}

	private static String known(UnrecognizedPropertyException ex) {
		return String.join(", ", ex.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList());
	}

}
