package io.raylane.rayclient;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RayHttpTest {

	@Test
	void shouldStripTrailingSlashesSoRoutesAreAppendedOnce() {
		assertThat(RayHttp.baseUrl(" http://127.10.0.5:8265// ")).isEqualTo("http://127.10.0.5:8265");
		assertThat(RayHttp.baseUrl("http://head:8265")).isEqualTo("http://head:8265");
	}

	@Test
	void shouldRefuseAMissingAddressNamingTheProperty() {
		assertThatIllegalArgumentException().isThrownBy(() -> RayHttp.baseUrl(" "))
			.withMessageContaining("raylane.ray.address");
	}

	@Test
	void shouldCallTheHeadOverHttp11WithANonBrowserUserAgent() throws IOException {
		AtomicReference<String> agent = new AtomicReference<>();
		AtomicReference<String> protocol = new AtomicReference<>();
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/api/version", (exchange) -> {
			agent.set(exchange.getRequestHeaders().getFirst("User-Agent"));
			protocol.set(exchange.getProtocol());
			byte[] body = "{\"ray_version\":\"2.49.2\"}".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		try {
			RestClient rest = RayHttp.restClient(RestClient.builder(),
					"http://127.0.0.1:" + server.getAddress().getPort() + "/", Duration.ofSeconds(2),
					Duration.ofSeconds(2));
			String answer = rest.get().uri("/api/version").retrieve().body(String.class);

			assertThat(answer).contains("2.49.2");
			assertThat(agent.get()).isEqualTo(RayHttp.USER_AGENT).doesNotStartWith("Mozilla");
			assertThat(protocol.get()).isEqualTo("HTTP/1.1");
		}
		finally {
			server.stop(0);
		}
	}

	@Test
	void shouldSendTheTokenAsABearerHeaderOnEveryCallWhenOneIsGiven() throws IOException {
		List<String> seen = new CopyOnWriteArrayList<>();
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", (exchange) -> {
			seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
					+ exchange.getRequestHeaders().getFirst("Authorization"));
			byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		try {
			String address = "http://127.0.0.1:" + server.getAddress().getPort();
			RestClient authed = RayHttp.restClient(RestClient.builder(), address, "tok-42\n", Duration.ofSeconds(2),
					Duration.ofSeconds(2));
			authed.get().uri("/api/jobs/").retrieve().toBodilessEntity();
			authed.post().uri("/api/jobs/").body("{}").retrieve().toBodilessEntity();
			authed.delete().uri("/api/jobs/x").retrieve().toBodilessEntity();
			RayHttp.restClient(RestClient.builder(), address, Duration.ofSeconds(2), Duration.ofSeconds(2))
				.get()
				.uri("/api/version")
				.retrieve()
				.toBodilessEntity();

			assertThat(seen).containsExactly("GET /api/jobs/ Bearer tok-42", "POST /api/jobs/ Bearer tok-42",
					"DELETE /api/jobs/x Bearer tok-42", "GET /api/version null");
		}
		finally {
			server.stop(0);
		}
	}

	@Test
	void shouldRefuseATokenNoHeaderCanCarryWithoutQuotingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> RayHttp.authorization("abc\r\nX-Evil: 1"))
			.withMessageNotContaining("abc")
			.withMessageContaining("printable ASCII");
		assertThat(RayHttp.authorization(" tok ")).isEqualTo("Bearer tok");
	}

}
