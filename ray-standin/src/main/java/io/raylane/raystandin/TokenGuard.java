package io.raylane.raystandin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

import com.sun.net.httpserver.HttpExchange;

/**
 * The head's token check when it runs with a token, as Ray 2.60's dashboard does with
 * {@code RAY_AUTH_MODE=token} ({@code http_token_authentication.py}, before any route):
 * the token comes from {@code Authorization}, else {@code X-Ray-Authorization} (both
 * {@code Bearer <token>}), else the cookie {@code ray-authentication-token}; none → 401
 * {@code Unauthorized: Missing authentication token}, a wrong one (or one without
 * {@code Bearer }) → 403 {@code Forbidden: Invalid authentication token}. The dashboard's
 * public paths pass without one. docs/reference/ray-http.md §11.
 */
final class TokenGuard {

	/** Ray 2.60's {@code public_exact_paths} ({@code http_server_head.py}). */
	static final Set<String> PUBLIC_PATHS = Set.of("/", "/favicon.ico", "/api/authentication_mode", "/api/authenticate",
			"/api/healthz", "/api/gcs_healthz", "/api/local_raylet_healthz", "/-/healthz");

	static final String PUBLIC_PREFIX = "/static/";

	static final String MISSING = "Unauthorized: Missing authentication token";

	static final String INVALID = "Forbidden: Invalid authentication token";

	static final String COOKIE = "ray-authentication-token";

	/** {@code Bearer <token>}, or null when the head runs without a token. */
	private final byte[] expected;

	TokenGuard(String token) {
		this.expected = (token != null && !token.isBlank())
				? ("Bearer " + token.strip()).getBytes(StandardCharsets.UTF_8) : null;
	}

	boolean enabled() {
		return this.expected != null;
	}

	/**
	 * {@code token} or {@code disabled}, as {@code GET /api/authentication_mode} says.
	 */
	String mode() {
		return enabled() ? "token" : "disabled";
	}

	/**
	 * Whether the request may go on; if not, it has been answered (401 or 403).
	 */
	boolean admit(HttpExchange exchange) throws IOException {
		if (!enabled()) {
			return true;
		}
		String path = exchange.getRequestURI().getRawPath();
		if (PUBLIC_PATHS.contains(path) || path.startsWith(PUBLIC_PREFIX)) {
			return true;
		}
		String header = presented(exchange);
		if (header == null) {
			HttpExchanges.text(exchange, 401, MISSING);
			return false;
		}
		// constant time: the answer must not tell how much of a guess was right
		if (!MessageDigest.isEqual(this.expected, header.getBytes(StandardCharsets.UTF_8))) {
			HttpExchanges.text(exchange, 403, INVALID);
			return false;
		}
		return true;
	}

	/** The first non-empty source in Ray's order, as a header value; null if none. */
	private static String presented(HttpExchange exchange) {
		String header = exchange.getRequestHeaders().getFirst("Authorization");
		if (header == null || header.isEmpty()) {
			header = exchange.getRequestHeaders().getFirst("X-Ray-Authorization");
		}
		if (header == null || header.isEmpty()) {
			String token = cookie(exchange.getRequestHeaders().get("Cookie"));
			header = (token != null && !token.isEmpty()) ? "Bearer " + token : null;
		}
		return (header == null || header.isEmpty()) ? null : header;
	}

	private static String cookie(java.util.List<String> headers) {
		if (headers == null) {
			return null;
		}
		for (String header : headers) {
			for (String pair : header.split(";")) {
				int eq = pair.indexOf('=');
				if (eq > 0 && pair.substring(0, eq).strip().equals(COOKIE)) {
					return pair.substring(eq + 1).strip();
				}
			}
		}
		return null;
	}

}
