package io.raylane.rayclient;

import java.net.http.HttpClient;
import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Builds the {@link RestClient} that speaks to Ray's dashboard, for every service that
 * calls Ray (submitter, observer, api): JDK HttpClient (HTTP/1.1, connect timeout), a
 * read timeout, the head's address as base URL, a non-browser User-Agent (Ray answers 405
 * to POSTs whose User-Agent starts with {@code Mozilla}) and, when the cluster runs with
 * token authentication ({@code RAY_AUTH_MODE=token}, Ray ≥ 2.52), the header
 * {@code Authorization: Bearer <token>} on every request (without it Ray answers 401
 * {@code Unauthorized: Missing authentication token}, with a wrong one 403;
 * docs/reference/ray-http.md §11). The token is a default header of the client only: it
 * is never logged here, and Ray's error answers do not echo it.
 */
public final class RayHttp {

	/** Sent on every call; never browser-like. */
	public static final String USER_AGENT = "raylane/0.1";

	/** The scheme Ray's dashboard expects before the token. */
	public static final String BEARER = "Bearer ";

	private RayHttp() {
	}

	/** A client for a head without token authentication. */
	public static RestClient restClient(RestClient.Builder builder, String rayAddress, Duration connectTimeout,
			Duration readTimeout) {
		return restClient(builder, rayAddress, null, connectTimeout, readTimeout);
	}

	/**
	 * @param authToken the cluster's token
	 * ({@code RaylaneSettings.Ray#resolvedAuthToken}, i.e. RAYLANE_RAY_AUTH_TOKEN or the
	 * file RAYLANE_RAY_AUTH_TOKEN_FILE); null or blank = no Authorization header
	 */
	public static RestClient restClient(RestClient.Builder builder, String rayAddress, String authToken,
			Duration connectTimeout, Duration readTimeout) {
		HttpClient http = HttpClient.newBuilder()
			.connectTimeout(connectTimeout)
			// Ray's aiohttp server speaks HTTP/1.1; skip the JDK's h2c upgrade attempt on
			// plain http
			.version(HttpClient.Version.HTTP_1_1)
			.build();
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
		factory.setReadTimeout(readTimeout);
		RestClient.Builder configured = builder.requestFactory(factory)
			.baseUrl(baseUrl(rayAddress))
			.defaultHeader(HttpHeaders.USER_AGENT, USER_AGENT);
		if (authToken != null && !authToken.isBlank()) {
			configured = configured.defaultHeader(HttpHeaders.AUTHORIZATION, authorization(authToken));
		}
		return configured.build();
	}

	/**
	 * {@code Bearer <token>}, the value of the Authorization header.
	 * @throws IllegalArgumentException when the token holds a character no header can
	 * carry (the message does not quote it)
	 */
	public static String authorization(String authToken) {
		String token = authToken.strip();
		if (token.isEmpty() || !token.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
			throw new IllegalArgumentException("the Ray token must be printable ASCII without spaces");
		}
		return BEARER + token;
	}

	/**
	 * The address without trailing slashes, so {@code /api/jobs/} is appended exactly
	 * once.
	 */
	public static String baseUrl(String rayAddress) {
		if (rayAddress == null || rayAddress.isBlank()) {
			throw new IllegalArgumentException("raylane.ray.address is required (e.g. http://127.0.0.1:8265)");
		}
		String address = rayAddress.trim();
		while (address.endsWith("/")) {
			address = address.substring(0, address.length() - 1);
		}
		return address;
	}

}
