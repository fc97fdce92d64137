package io.raylane.observer.ray;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.raylane.rayclient.RayHttp;
import io.raylane.rayclient.wire.RayActorState;
import io.raylane.rayclient.wire.RayPlacementGroupState;
import io.raylane.raystandin.fixture.FakeRayHeadFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The State API routes of issue 14 over HTTP: a loopback server answers with the bodies a
 * real Ray 2.60.0 head gave (ray-client's fixtures/ray-2.60.0); a head without the routes
 * (the imitation of Ray) has no groups and no actors.
 */
class HttpRayStateClientPlacementTest {

	private final List<String> asked = new CopyOnWriteArrayList<>();

	private HttpServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop(0);
		}
	}

	@Test
	void shouldReadGroupsAndActorsWithDetailFromRaysAnswers() throws IOException {
		HttpRayStateClient client = client(serve(200));

		List<RayPlacementGroupState> groups = client.placementGroups();
		List<RayActorState> actors = client.actors();

		assertThat(groups).singleElement().satisfies((g) -> assertThat(g.bundles()).hasSize(2));
		assertThat(actors).hasSize(6).anySatisfy((a) -> assertThat(a.ownGpus()).isEqualTo(2.0));
		assertThat(this.asked).containsExactly("/api/v0/placement_groups?detail=true&limit=10000",
				"/api/v0/actors?detail=true&limit=10000");
	}

	@Test
	void shouldFailOnAnAnswerThatIsNotOk() throws IOException {
		HttpRayStateClient client = client(serve(500));

		assertThatThrownBy(client::placementGroups).isInstanceOf(RayPollException.class).hasMessageContaining("500");
	}

	@Test
	void shouldFindNothingOnAHeadWithoutTheRoutes() {
		try (FakeRayHeadFixture standin = new FakeRayHeadFixture()) {
			HttpRayStateClient client = client(standin.address());

			assertThat(client.placementGroups()).isEmpty();
			assertThat(client.actors()).isEmpty();
		}
	}

	private String serve(int status) throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/api/v0/", (exchange) -> {
			this.asked.add(exchange.getRequestURI().toString());
			String path = exchange.getRequestURI().getPath();
			String fixture = path.endsWith("/placement_groups") ? "placement_groups.json" : "actors-detail.json";
			byte[] body;
			try (InputStream in = getClass().getResourceAsStream("/fixtures/ray-2.60.0/" + fixture)) {
				body = in.readAllBytes();
			}
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(status, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.server.start();
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	private static HttpRayStateClient client(String address) {
		return new HttpRayStateClient(
				RayHttp.restClient(RestClient.builder(), address, Duration.ofSeconds(2), Duration.ofSeconds(5)));
	}

}
