package io.raylane.raystandin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import io.raylane.rayclient.wire.RayJson;

/**
 * Reading requests and writing the dashboard's two kinds of answers: JSON bodies and
 * plain-text errors.
 */
final class HttpExchanges {

	/** Ray's DASHBOARD_CLIENT_MAX_SIZE: 100 MiB. */
	static final int MAX_BODY = 100 * 1024 * 1024;

	/** Thrown for a body over {@link #MAX_BODY} (HTTP 413). */
	static final class TooLarge extends IOException {

		TooLarge(long size) {
			super("Maximum request body size " + MAX_BODY + " exceeded, actual body size " + size);
		}

	}

	private HttpExchanges() {
	}

	static String body(HttpExchange exchange) throws IOException {
		try (InputStream in = exchange.getRequestBody()) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			long total = 0;
			int n;
			while ((n = in.read(buffer)) >= 0) {
				total += n;
				if (total > MAX_BODY) {
					throw new TooLarge(total);
				}
				out.write(buffer, 0, n);
			}
			return out.toString(StandardCharsets.UTF_8);
		}
	}

	/**
	 * Query parameters, each name with all its values in order (the State API repeats
	 * filter triples).
	 */
	static Map<String, List<String>> query(String rawQuery) {
		Map<String, List<String>> params = new LinkedHashMap<>();
		if (rawQuery == null || rawQuery.isEmpty()) {
			return params;
		}
		for (String pair : rawQuery.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int eq = pair.indexOf('=');
			String name = decode((eq < 0) ? pair : pair.substring(0, eq));
			String value = (eq < 0) ? "" : decode(pair.substring(eq + 1));
			params.computeIfAbsent(name, (k) -> new ArrayList<>()).add(value);
		}
		return params;
	}

	static String decode(String text) {
		return URLDecoder.decode(text, StandardCharsets.UTF_8);
	}

	static void json(HttpExchange exchange, int status, Object body) throws IOException {
		send(exchange, status, "application/json; charset=utf-8", RayJson.mapper().writeValueAsBytes(body));
	}

	static void text(HttpExchange exchange, int status, String body) throws IOException {
		send(exchange, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
	}

	static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
		send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
	}

	private static void send(HttpExchange exchange, int status, String contentType, byte[] bytes) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.sendResponseHeaders(status, (bytes.length == 0) ? -1 : bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

}
