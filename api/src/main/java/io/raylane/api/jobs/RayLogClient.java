package io.raylane.api.jobs;

import java.io.InputStream;

import io.raylane.api.ApiProperties;
import io.raylane.api.errors.ApiException;
import io.raylane.rayclient.RayHttp;
import io.raylane.support.RaylaneSettings;
import io.raylane.rayclient.wire.RayJson;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * The one call the API makes to Ray: {@code GET
 * <raylane.ray.address>/api/jobs/{id}/logs}, the live driver log of a job that has not
 * ended (ended jobs are served from their archived log file). Ray's 404 means no log yet
 * and reads as empty; any other failure is 502.
 */
@Component
class RayLogClient {

	private final RestClient rest;

	RayLogClient(RestClient.Builder builder, RaylaneSettings settings, ApiProperties properties) {
		ApiProperties.Ray ray = properties.ray();
		this.rest = RayHttp.restClient(builder, settings.ray().address(), settings.ray().resolvedAuthToken(),
				ray.connectTimeout(), ray.readTimeout());
	}

	record RayLogs(String logs) {
	}

	String driverLogs(String jobId) {
		try {
			return this.rest.get().uri("/api/jobs/{id}/logs", jobId).exchange((request, response) -> {
				if (response.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
					return "";
				}
				if (!response.getStatusCode().is2xxSuccessful()) {
					throw rayFailed("Ray answered " + response.getStatusCode().value());
				}
				try (InputStream body = response.getBody()) {
					RayLogs logs = RayJson.mapper().readValue(body, RayLogs.class);
					return (logs != null && logs.logs() != null) ? logs.logs() : "";
				}
			});
		}
		catch (RestClientException ex) {
			throw rayFailed("Ray is unreachable: " + ex.getMessage());
		}
		catch (tools.jackson.core.JacksonException ex) {
			throw rayFailed("Ray's answer is not a logs object");
		}
	}

	private static ApiException rayFailed(String detail) {
		return new ApiException(HttpStatus.BAD_GATEWAY, "ray_unavailable", null, detail);
	}

}
