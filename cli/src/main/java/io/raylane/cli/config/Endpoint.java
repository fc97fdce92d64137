package io.raylane.cli.config;

/**
 * Where the API is and who calls it.
 *
 * @param url the API's base URL, without a trailing slash
 * @param token the caller's bearer token
 */
public record Endpoint(String url, String token) {

	public Endpoint {
		url = (url != null) ? stripSlashes(url.trim()) : null;
		token = (token != null) ? token.trim() : null;
	}

	private static String stripSlashes(String url) {
		String stripped = url;
		while (stripped.endsWith("/")) {
			stripped = stripped.substring(0, stripped.length() - 1);
		}
		return stripped;
	}

}
