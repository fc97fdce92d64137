package io.raylane.observer.ray;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.raylane.observer.Rays;
import io.raylane.rayclient.RayHttp;
import io.raylane.rayclient.wire.RayJson;
import io.raylane.rayclient.wire.RayNodeState;
import io.raylane.raystandin.fixture.FakeRayHeadFixture;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP adapter against the fixture head: Ray's routes, JobDetails with every key, the
 * nodes envelope.
 */
class HttpRayStateClientTest {

	@AutoClose
	final FakeRayHeadFixture ray = new FakeRayHeadFixture();

	final HttpRayStateClient client = new HttpRayStateClient(
			RayHttp.restClient(RestClient.builder(), this.ray.address(), Duration.ofSeconds(2), Duration.ofSeconds(5)));

	@Test
	void shouldListJobsFromJobsWithTrailingSlash() {
		this.ray.putJob(Rays.running(Rays.raylaneJob("j1", "a100"), "127.10.3.21"));
		this.ray.putJob(Rays.foreignJob("x"));

		assertThat(this.client.jobs()).containsExactly(Rays.running(Rays.raylaneJob("j1", "a100"), "127.10.3.21"),
				Rays.foreignJob("x"));
		FakeRayHeadFixture.Request sent = this.ray.requests().get(0);
		assertThat(sent.path()).isEqualTo("/api/jobs/");
		assertThat(sent.userAgent()).isEqualTo("raylane/0.1");
	}

	@Test
	void shouldListNodesThroughTheStateApiEnvelope() {
		this.ray.putNode(Rays.head("h"));
		this.ray.putNode(Rays.worker("w1", "127.10.0.2", "a100", 8, true));

		assertThat(this.client.nodes()).extracting(RayNodeState::nodeId, RayNodeState::alive)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("h", true),
					org.assertj.core.groups.Tuple.tuple("w1", true));
		assertThat(this.client.nodes().get(1).resourcesTotal()).containsEntry("raylane-pool-a100", 1000.0);
		FakeRayHeadFixture.Request sent = this.ray.requests().get(0);
		assertThat(sent.path()).isEqualTo("/api/v0/nodes");
		assertThat(sent.query()).isEqualTo("limit=10000");
	}

	@Test
	void shouldReadADriverLogFromTheJobsLogsRoute() {
		this.ray.putJob(Rays.running(Rays.raylaneJob("j1", "a100"), "127.10.3.21"));
		this.ray.setLogs("j1", "step:3 - a:1\n");

		assertThat(this.client.logs("j1")).contains("step:3 - a:1\n");
		assertThat(this.ray.requests().get(0).path()).isEqualTo("/api/jobs/j1/logs");
	}

	@Test
	void shouldReadABoundedTailOfTheDriverLogOnTheDriversNode() {
		// issue 13 item 6: Ray reads only the last lines; the client keeps at most
		// maxChars of them. Ray 2.60 needs the node beside the file
		this.ray.putJob(Rays.running(Rays.raylaneJob("j1", "a100"), "127.10.3.21"));
		this.ray.setLogs("j1", "Total training steps: 9\nstep:1 - a:1\nstep:2 - a:1\nstep:3 - a:1\n");

		assertThat(this.client.logTail("j1", "8b1ce4", 2, 1000)).contains("step:2 - a:1\nstep:3 - a:1\n");
		assertThat(this.client.logTail("j1", "8b1ce4", 2, 8)).contains("3 - a:1\n");
		FakeRayHeadFixture.Request sent = this.ray.requests().get(0);
		assertThat(sent.path()).isEqualTo("/api/v0/logs/file");
		assertThat(sent.query()).isEqualTo("node_id=8b1ce4&filename=job-driver-j1.log&lines=2&filter_ansi_code=true");
		assertThat(this.ray.requests()).hasSize(2);
	}

	@Test
	void shouldReadNoTailForAJobWithoutDriverOrWhoseNodeHasNoLog() {
		this.ray.putJob(Rays.raylaneJob("pending", "a100"));
		this.ray.putJob(Rays.running(Rays.raylaneJob("j1", "a100"), "127.10.3.21"));

		assertThat(this.client.logTail("pending", null, 5, 1000)).as("no request without a driver").isEmpty();
		assertThat(this.client.logTail("unknown", "8b1ce4", 5, 1000)).isEmpty();
		assertThat(this.ray.requests()).extracting(FakeRayHeadFixture.Request::path)
			.containsExactly("/api/v0/logs/file");
	}

	@Test
	void shouldReportAGoneDriverNodeAsAFailedRead() {
		this.ray.putJob(Rays.running(Rays.raylaneJob("j1", "a100"), "127.10.3.21"));
		this.ray.putNode(Rays.worker("8b1ce4", "127.10.3.21", "a100", 8, false));

		assertThatThrownBy(() -> this.client.logTail("j1", "8b1ce4", 5, 1000)).isInstanceOf(RayPollException.class)
			.hasMessageContaining("Agent for node id: 8b1ce4 doesn't exist.");
	}

	/**
	 * A head whose tail route is unusable (404 without the State API, or the bare 500
	 * page Ray 2.60 answers to parameters it does not take): the whole log is read
	 * instead and cut to the lines asked for, and the route is not asked again.
	 */
	@Test
	void shouldReadTheWholeLogOnceTheTailRouteProvesUnusable() {
		this.ray.putJob(Rays.running(Rays.raylaneJob("j1", "default"), "127.10.3.21"));
		this.ray.setLogs("j1", "step:1 - a:1\nstep:2 - a:1\nstep:3 - a:1\n");
		this.ray.failNext(1, 404);

		assertThat(this.client.logTail("j1", "8b1ce4", 2, 1000)).contains("step:2 - a:1\nstep:3 - a:1\n");
		assertThat(this.client.logTail("j1", "8b1ce4", 1, 1000)).contains("step:3 - a:1\n");
		assertThat(this.ray.requests()).extracting(FakeRayHeadFixture.Request::path)
			.containsExactly("/api/v0/logs/file", "/api/jobs/j1/logs", "/api/jobs/j1/logs");
	}

	@Test
	void shouldAskAgainAfterAFailedReadOfOneJob() {
		this.ray.putJob(Rays.running(Rays.raylaneJob("j1", "default"), "127.10.3.21"));
		this.ray.setLogs("j1", "step:1 - a:1\n");
		this.ray.failNext(1, 503);

		assertThatThrownBy(() -> this.client.logTail("j1", "8b1ce4", 2, 1000)).isInstanceOf(RayPollException.class);
		assertThat(this.client.logTail("j1", "8b1ce4", 2, 1000)).contains("step:1 - a:1\n");
		assertThat(this.ray.requests()).extracting(FakeRayHeadFixture.Request::path)
			.containsExactly("/api/v0/logs/file", "/api/v0/logs/file");
	}

	@Test
	void shouldKeepTheEndOfALongAnswer() throws Exception {
		String log = "x".repeat(50_000) + "\nlast line\n";

		String kept = HttpRayStateClient
			.lastChars(new java.io.ByteArrayInputStream(log.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 100);

		assertThat(kept).hasSize(100).endsWith("\nlast line\n");
	}

	@Test
	void shouldReportRaysErrorsAsPollFailures() {
		this.ray.failNext(1, 500);

		assertThatThrownBy(this.client::jobs).isInstanceOf(RayPollException.class).hasMessageContaining("500");
	}

	@Test
	void shouldReportAnUnreachableRayAsPollFailure() {
		FakeRayHeadFixture gone = new FakeRayHeadFixture();
		String address = gone.address();
		gone.close();
		HttpRayStateClient unreachable = new HttpRayStateClient(
				RayHttp.restClient(RestClient.builder(), address, Duration.ofSeconds(2), Duration.ofSeconds(5)));

		assertThatThrownBy(unreachable::nodes).isInstanceOf(RayPollException.class);
	}

	@Test
	void shouldBeServedJobDetailsWithAllFifteenKeysIncludingNulls() throws Exception {
		this.ray.putJob(Rays.raylaneJob("j1", "default"));
		HttpResponse<String> raw = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.ray.address() + "/api/jobs/")).build(),
					HttpResponse.BodyHandlers.ofString());

		JsonNode job = RayJson.mapper().readTree(raw.body()).get(0);
		assertThat(job.propertyNames()).containsExactly("type", "job_id", "submission_id", "driver_info", "status",
				"entrypoint", "message", "error_type", "start_time", "end_time", "metadata", "runtime_env",
				"driver_agent_http_address", "driver_node_id", "driver_exit_code");
		assertThat(job.get("driver_info").isNull()).isTrue();
		assertThat(this.client.jobs()).containsExactly(Rays.raylaneJob("j1", "default"));
	}

}
