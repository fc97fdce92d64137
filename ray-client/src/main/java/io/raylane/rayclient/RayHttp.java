package io.raylane.rayclient;

import java.net.http.HttpClient;
import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Builds the {@link RestClient} that speaks to Ray's dashboard, for every service that
 * calls Ray (submitter, observer, api): JDK HttpClient (HTTP/1.1, connect timeout), a
 * read timeout, the head's address as base URL and a non-browser User-Agent (Ray answers
 * 405 to POSTs whose User-Agent starts with {@code Mozilla}).
 */
public final class RayHttp {

	/** Sent on every call; never browser-like. */
	public static final String USER_AGENT = "raylane/0.1";

	private RayHttp() {
	}

	public static RestClient restClient(RestClient.Builder builder, String rayAddress, Duration connectTimeout,
			Duration readTimeout) {
		HttpClient http = HttpClient.newBuilder()
			.connectTimeout(connectTimeout)
			// Ray's aiohttp server speaks HTTP/1.1; skip the JDK's h2c upgrade attempt on
			// plain http
			.version(HttpClient.Version.HTTP_1_1)
			.build();
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
		factory.setReadTimeout(readTimeout);
		return builder.requestFactory(factory)
			.baseUrl(baseUrl(rayAddress))
			.defaultHeader(HttpHeaders.USER_AGENT, USER_AGENT)
			.build();
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
