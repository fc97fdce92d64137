package io.raylane.cli.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import io.raylane.cli.CliException;
import io.raylane.cli.ExitCodes;
import io.raylane.cli.config.Endpoint;

/**
 * The CLI's only way to the API: the JDK's HttpClient with the caller's bearer token.
 * Every failure becomes a {@link CliException} with one line that says what happened: an
 * API error names its field ({@link ApiErrors}); an unreachable API names the URL.
 */
public final class ApiClient {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

	private final Endpoint endpoint;

	private final HttpClient http;

	public ApiClient(Endpoint endpoint) {
		this.endpoint = endpoint;
		this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
	}

	public String url() {
		return this.endpoint.url();
	}

	public String get(String path) {
		return send(request(path).GET().build());
	}

	public String post(String path, String contentType, byte[] body) {
		HttpRequest.Builder builder = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (contentType != null) {
			builder.header("Content-Type", contentType);
		}
		return send(builder.build());
	}

	public String delete(String path) {
		return send(request(path).DELETE().build());
	}

	/**
	 * Copies a streamed text answer ({@code logs?follow=true}) to {@code out} as it
	 * arrives, flushing each piece, until the API ends it.
	 */
	public void stream(String path, Writer out) {
		HttpRequest request = request(path).GET().build();
		HttpResponse<InputStream> response = call(request, HttpResponse.BodyHandlers.ofInputStream());
		try (InputStream body = response.body()) {
			if (response.statusCode() / 100 != 2) {
				throw ApiErrors.of(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8),
						url());
			}
			Reader reader = new InputStreamReader(body, StandardCharsets.UTF_8);
			char[] buffer = new char[8192];
			int n;
			while ((n = reader.read(buffer)) >= 0) {
				out.write(buffer, 0, n);
				out.flush();
			}
		}
		catch (IOException ex) {
			throw new CliException(ExitCodes.UNAVAILABLE, "the log stream from " + url() + " broke off: "
					+ ApiErrors.oneLine(String.valueOf(ex.getMessage())));
		}
	}

	/** {@code path?k=v&...}, leaving out null values and encoding the rest. */
	public static String query(String path, Map<String, ?> parameters) {
		StringJoiner joined = new StringJoiner("&");
		for (Map.Entry<String, ?> entry : parameters.entrySet()) {
			if (entry.getValue() != null) {
				joined.add(entry.getKey() + "="
						+ URLEncoder.encode(String.valueOf(entry.getValue()), StandardCharsets.UTF_8));
			}
		}
		return (joined.length() == 0) ? path : path + "?" + joined;
	}

	/** An ordered parameter map that accepts nulls (left out by {@link #query}). */
	public static Map<String, Object> parameters(Object... keysAndValues) {
		Map<String, Object> parameters = new LinkedHashMap<>();
		for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
			parameters.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return parameters;
	}

	/** A path segment (a job or node id) encoded for a URL. */
	public static String segment(String id) {
		return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private HttpRequest.Builder request(String path) {
		URI uri;
		try {
			uri = URI.create(this.endpoint.url() + path);
		}
		catch (IllegalArgumentException ex) {
			throw new CliException(ExitCodes.USAGE, "the API URL '" + this.endpoint.url() + "' is not a URL");
		}
		if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
			throw new CliException(ExitCodes.USAGE,
					"the API URL '" + this.endpoint.url() + "' must start with http:// or https://");
		}
		return HttpRequest.newBuilder(uri)
			.timeout(REQUEST_TIMEOUT)
			.header("Authorization", "Bearer " + this.endpoint.token())
			.header("Accept", "application/json");
	}

	private String send(HttpRequest request) {
		HttpResponse<String> response = call(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		if (response.statusCode() / 100 != 2) {
			throw ApiErrors.of(response.statusCode(), response.body(), url());
		}
		return response.body();
	}

	private <T> HttpResponse<T> call(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
		try {
			return this.http.send(request, handler);
		}
		catch (HttpConnectTimeoutException | ConnectException ex) {
			throw new CliException(ExitCodes.UNAVAILABLE, "cannot connect to the Raylane API at " + url() + " ("
					+ describe(ex) + "); is it running, and is the URL right? (raylane login --url ...)");
		}
		catch (HttpTimeoutException ex) {
			throw new CliException(ExitCodes.UNAVAILABLE,
					"the Raylane API at " + url() + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
		}
		catch (IOException ex) {
			throw new CliException(ExitCodes.UNAVAILABLE,
					"cannot talk to the Raylane API at " + url() + ": " + describe(ex));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CliException(ExitCodes.UNAVAILABLE, "interrupted while calling " + url());
		}
		catch (UncheckedIOException ex) {
			throw new CliException(ExitCodes.UNAVAILABLE,
					"cannot talk to the Raylane API at " + url() + ": " + describe(ex.getCause()));
		}
	}

	private static String describe(Throwable ex) {
		String message = ex.getMessage();
		if (message == null || message.isBlank()) {
			message = (ex instanceof ConnectException) ? "connection refused" : ex.getClass().getSimpleName();
		}
		return ApiErrors.oneLine(message);
	}

}
