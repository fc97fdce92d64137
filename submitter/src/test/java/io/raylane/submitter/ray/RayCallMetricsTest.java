package io.raylane.submitter.ray;

import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raylane.rayclient.RayHttp;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.raystandin.fixture.FakeRayHeadFixture;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code raylane_submitter_ray_call_seconds}: every exchange with the fixture head,
 * tagged operation and outcome.
 */
class RayCallMetricsTest {

	@AutoClose
	final FakeRayHeadFixture ray = new FakeRayHeadFixture();

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	final HttpRayJobsClient client = client(this.ray.address(), 2);

	HttpRayJobsClient client(String address, long maxRetries) {
		RetryTemplate retry = new RetryTemplate(RetryPolicy.builder()
			.includes(HttpRayJobsClient.retryableFailures())
			.maxRetries(maxRetries)
			.delay(Duration.ofMillis(5))
			.build());
		return new HttpRayJobsClient(
				RayHttp.restClient(RestClient.builder(), address, Duration.ofSeconds(2), Duration.ofSeconds(5)), retry,
				new RayCallMetrics(this.meters));
	}

	@Test
	void shouldCountAGoodSubmitAsSuccess() {
		this.client.submit(HttpRayJobsClientTest.request("j1"));

		assertThat(count("submit", "success")).isEqualTo(1);
		assertThat(count("submit", "error")).isZero();
		assertThat(timer("submit", "success").totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
	}

	@Test
	void shouldCountARefusedSubmitAsError() {
		this.client.submit(new io.raylane.rayclient.wire.RayJobSubmitRequest(null, "j1", null, null, null, null, null));

		assertThat(count("submit", "error")).isEqualTo(1);
		assertThat(count("submit", "success")).isZero();
	}

	@Test
	void shouldCountEachFailedAttemptOfARetriedCallAsError() {
		this.ray.failNext(2, 503);

		this.client.submit(HttpRayJobsClientTest.request("j1"));

		assertThat(count("submit", "error")).isEqualTo(2);
		assertThat(count("submit", "success")).isEqualTo(1);
	}

	@Test
	void shouldCountAnUnreachableRayAsError() {
		FakeRayHeadFixture gone = new FakeRayHeadFixture();
		String address = gone.address();
		gone.close();

		client(address, 1).submit(HttpRayJobsClientTest.request("j1"));

		assertThat(count("submit", "error")).isEqualTo(2);
		assertThat(count("submit", "success")).isZero();
	}

	@Test
	void shouldTagStopLogsAndDeleteWithTheirOperation() {
		this.client.submit(HttpRayJobsClientTest.request("j1"));
		this.ray.setLogs("j1", "hello\n");
		this.ray.finish("j1", "RUNNING", null, "Job is currently running.");

		this.client.stop("j1");
		this.client.logs("j1");
		this.client.delete("j1");
		this.client.stop("unknown");

		assertThat(count("stop", "success")).isEqualTo(1);
		assertThat(count("logs", "success")).isEqualTo(1);
		assertThat(count("delete", "success")).isEqualTo(1);
		// Ray's 404 for a job it does not know is an error answer, even though the client
		// reads it as "not stopped"
		assertThat(count("stop", "error")).isEqualTo(1);
	}

	@Test
	void shouldCountARefusedDeleteAsError() {
		this.ray.putJob(new RayJobDetails("SUBMISSION", null, "j2", null, "RUNNING", "echo", null, null, 1L, null,
				Map.of(), Map.of(), null, null, null));

		assertThatThrownBy(() -> this.client.delete("j2")).isInstanceOf(RayCallException.class);

		assertThat(count("delete", "error")).isEqualTo(1);
	}

	private long count(String operation, String outcome) {
		Timer timer = this.meters.find(RayCallMetrics.NAME).tag("operation", operation).tag("outcome", outcome).timer();
		return (timer != null) ? timer.count() : 0;
	}

	private Timer timer(String operation, String outcome) {
		return this.meters.get(RayCallMetrics.NAME).tag("operation", operation).tag("outcome", outcome).timer();
	}

}
