package io.raylane.cli.http;

import io.raylane.cli.CliException;
import io.raylane.cli.ExitCodes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an API error answer into the CLI's one-line message: the API's error bodies are
 * {@code {"error", "field", "detail"}} (docs/api.md), and the field at fault is what a
 * user needs to fix the request.
 */
public final class ApiErrors {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ApiErrors() {
	}

	/**
	 * The exception for a non-2xx answer: exit 3 for a 4xx (the request was refused),
	 * exit 4 for anything else (the API failed).
	 */
	public static CliException of(int status, String body, String url) {
		int exit = (status >= 400 && status < 500) ? ExitCodes.REFUSED : ExitCodes.UNAVAILABLE;
		return new CliException(exit, message(status, body, url));
	}

	/**
	 * {@code HTTP 400 invalid_jobspec: field resources.nnodes: must be ...}, on one line.
	 */
	static String message(int status, String body, String url) {
		StringBuilder line = new StringBuilder("HTTP ").append(status);
		JsonNode error = parse(body);
		if (error != null) {
			append(line, " ", text(error, "error"));
			String field = text(error, "field");
			if (field != null) {
				line.append(": field ").append(field);
			}
			append(line, ": ", text(error, "detail"));
		}
		else if (body != null && !body.isBlank()) {
			line.append(": ").append(shorten(body.strip(), 200));
		}
		if (status == 401) {
			line.append(" (the token was not accepted by ").append(url).append("; run raylane login again)");
		}
		return oneLine(line.toString());
	}

	static String oneLine(String text) {
		return text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
	}

	private static JsonNode parse(String body) {
		if (body == null || body.isBlank()) {
			return null;
		}
		try {
			JsonNode node = JSON.readTree(body);
			return (node != null && node.isObject() && node.has("error")) ? node : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static void append(StringBuilder line, String separator, String value) {
		if (value != null) {
			line.append(separator).append(value);
		}
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && !value.isNull()) ? value.asString() : null;
	}

	private static String shorten(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max) + "…";
	}

}
