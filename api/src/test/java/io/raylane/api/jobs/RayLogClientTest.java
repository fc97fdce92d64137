package io.raylane.api.jobs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.raylane.api.ApiProperties;
import io.raylane.api.errors.ApiException;
import io.raylane.support.RaylaneSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The live log proxy against a stand-in of Ray's {@code GET /api/jobs/{id}/logs}. */
class RayLogClientTest {

	private HttpServer ray;

	private final AtomicReference<String> userAgent = new AtomicReference<>();

	private RayLogClient client;

	@BeforeEach
	void startRay() throws IOException {
		this.ray = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.ray.createContext("/api/jobs/", this::answer);
		this.ray.start();
		this.client = new RayLogClient(RestClient.builder(),
				settings("http://127.0.0.1:" + this.ray.getAddress().getPort()), properties());
	}

	@AfterEach
	void stopRay() {
		this.ray.stop(0);
	}

	@Test
	void shouldReturnRaysLogsAndIntroduceItself() {
		assertThat(this.client.driverLogs("rl-live")).isEqualTo("line 1\nline 2\n");
		assertThat(this.userAgent.get()).isEqualTo("raylane/0.1");
	}

	@Test
	void shouldReadRays404AsNoLogsYet() {
		assertThat(this.client.driverLogs("rl-unknown")).isEmpty();
	}

	@Test
	void shouldAnswer502WhenRayFails() {
		ApiException ex = catchThrowableOfType(ApiException.class, () -> this.client.driverLogs("rl-broken"));

		assertThat(ex.status()).isEqualTo(HttpStatus.BAD_GATEWAY);
		assertThat(ex.code()).isEqualTo("ray_unavailable");
	}

	@Test
	void shouldAnswer502WhenRayIsUnreachable() {
		this.ray.stop(0);

		ApiException ex = catchThrowableOfType(ApiException.class, () -> this.client.driverLogs("rl-live"));

		assertThat(ex.status()).isEqualTo(HttpStatus.BAD_GATEWAY);
	}

	private void answer(HttpExchange exchange) throws IOException {
		this.userAgent.set(exchange.getRequestHeaders().getFirst("User-Agent"));
		String path = exchange.getRequestURI().getPath();
		int status = 200;
		String body = "{\"logs\": \"line 1\\nline 2\\n\"}";
		if (path.equals("/api/jobs/rl-unknown/logs")) {
			status = 404;
			body = "Job rl-unknown does not exist";
		}
		else if (path.equals("/api/jobs/rl-broken/logs")) {
			status = 500;
			body = "Traceback ...";
		}
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

	static RaylaneSettings settings(String rayAddress) {
		return new RaylaneSettings(new RaylaneSettings.Shared(Path.of("target/shared")),
				new RaylaneSettings.Data(Path.of("target/data")), new RaylaneSettings.Ray(rayAddress, null, null),
				new RaylaneSettings.Kafka((short) 1), new RaylaneSettings.Users(null));
	}

	static ApiProperties properties() {
		return new ApiProperties(new ApiProperties.Ray(Duration.ofSeconds(2), Duration.ofSeconds(5)),
				new ApiProperties.Users(false), new ApiProperties.Kafka(Duration.ofSeconds(10)));
	}

}
