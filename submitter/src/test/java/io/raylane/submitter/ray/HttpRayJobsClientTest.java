package io.raylane.submitter.ray;

import java.time.Duration;
import java.util.Map;

import io.raylane.rayclient.RayHttp;
import io.raylane.rayclient.wire.RayJobSubmitRequest;
import io.raylane.rayclient.wire.RayJson;
import io.raylane.raystandin.fixture.FakeRayHeadFixture;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP adapter against the fixture head: real HTTP, Ray's routes and answer shapes.
 */
class HttpRayJobsClientTest {

	@AutoClose
	final FakeRayHeadFixture ray = new FakeRayHeadFixture();

	final HttpRayJobsClient client = client(this.ray.address(), 2);

	static HttpRayJobsClient client(String address, long maxRetries) {
		RetryTemplate retry = new RetryTemplate(RetryPolicy.builder()
			.includes(HttpRayJobsClient.retryableFailures())
			.maxRetries(maxRetries)
			.delay(Duration.ofMillis(5))
			.build());
		return new HttpRayJobsClient(
				RayHttp.restClient(RestClient.builder(), address + "/", Duration.ofSeconds(2), Duration.ofSeconds(5)),
				retry);
	}

	static RayJobSubmitRequest request(String id) {
		return new RayJobSubmitRequest("echo hi", id, Map.of("env_vars", Map.of("A", "1")),
				Map.of("raylane_job_id", id), null, null, Map.of("raylane-pool-default", 1.0));
	}

	@Test
	void shouldPostToJobsWithTrailingSlashNoNullsAndOurUserAgent() {
		assertThat(this.client.submit(request("j1"))).isEqualTo(new SubmitOutcome.Accepted(false));

		FakeRayHeadFixture.Request sent = this.ray.requests().get(0);
		assertThat(sent.method()).isEqualTo("POST");
		assertThat(sent.path()).isEqualTo("/api/jobs/");
		assertThat(sent.userAgent()).isEqualTo("raylane/0.1");
		assertThat(RayJson.mapper().readTree(sent.body())).isEqualTo(RayJson.mapper()
			.readTree(
					"{\"entrypoint\":\"echo hi\",\"submission_id\":\"j1\",\"runtime_env\":{\"env_vars\":{\"A\":\"1\"}},"
							+ "\"metadata\":{\"raylane_job_id\":\"j1\"},\"entrypoint_resources\":{\"raylane-pool-default\":1.0}}"));
	}

	@Test
	void shouldReportARedeliveredSubmissionAsAlreadySubmitted() {
		this.client.submit(request("j1"));

		assertThat(this.client.submit(request("j1"))).isEqualTo(new SubmitOutcome.Accepted(true));
		assertThat(this.ray.jobs()).hasSize(1);
	}

	@Test
	void shouldRetryServerErrorsThenSucceed() {
		this.ray.failNext(2, 503);

		assertThat(this.client.submit(request("j1"))).isEqualTo(new SubmitOutcome.Accepted(false));
		assertThat(this.ray.requests()).hasSize(3);
	}

	@Test
	void shouldGiveUpRetryablyAfterBoundedRetries() {
		this.ray.failNext(10, 502);

		SubmitOutcome outcome = this.client.submit(request("j1"));

		assertThat(outcome).isInstanceOf(SubmitOutcome.Failed.class);
		assertThat(((SubmitOutcome.Failed) outcome).retryable()).isTrue();
		assertThat(((SubmitOutcome.Failed) outcome).reason()).contains("after 3 attempts")
			.contains("simulated failure");
		assertThat(this.ray.requests()).hasSize(3);
	}

	@Test
	void shouldNotRetryARefusal() {
		SubmitOutcome outcome = this.client.submit(badRequest());

		assertThat(outcome).isInstanceOf(SubmitOutcome.Failed.class);
		assertThat(((SubmitOutcome.Failed) outcome).retryable()).isFalse();
		assertThat(((SubmitOutcome.Failed) outcome).reason()).startsWith("TypeError: entrypoint must be a string");
		assertThat(this.ray.requests()).hasSize(1);
	}

	private static RayJobSubmitRequest badRequest() {
		// no entrypoint: Ray answers 400 with a TypeError
		return new RayJobSubmitRequest(null, "j1", null, null, null, null, null);
	}

	@Test
	void shouldReportConnectionErrorsAsRetryable() {
		FakeRayHeadFixture gone = new FakeRayHeadFixture();
		String address = gone.address();
		gone.close();

		SubmitOutcome outcome = client(address, 1).submit(request("j1"));

		assertThat(outcome).isInstanceOf(SubmitOutcome.Failed.class);
		assertThat(((SubmitOutcome.Failed) outcome).retryable()).isTrue();
	}

	@Test
	void shouldStopALiveJobAndAnswerFalseForUnknownOnes() {
		this.client.submit(request("j1"));
		// a RUNNING job: Ray 2.60 only queues the stop of a PENDING one, which stays
		// PENDING
		this.ray.finish("j1", "RUNNING", null, "Job is currently running.");

		assertThat(this.client.stop("j1")).isEqualTo(new StopOutcome.Delivered(true));
		assertThat(this.client.stop("j1")).isEqualTo(new StopOutcome.Delivered(false));
		assertThat(this.client.stop("nope")).isEqualTo(new StopOutcome.Delivered(false));
		assertThat(this.ray.requests()).extracting(FakeRayHeadFixture.Request::path).contains("/api/jobs/j1/stop");
	}

	@Test
	void shouldFetchLogsAndDeleteTerminalJobs() {
		this.client.submit(request("j1"));
		this.ray.setLogs("j1", "line 1\nline 2\n");

		assertThat(this.client.logs("j1")).contains("line 1\nline 2\n");
		assertThat(this.client.logs("nope")).isEmpty();
		assertThatThrownBy(() -> this.client.delete("j1")).isInstanceOf(RayCallException.class)
			.hasMessageContaining("non-terminal");
		this.ray.finish("j1", "SUCCEEDED", 0, "Job finished successfully.");
		assertThat(this.client.delete("j1")).isTrue();
		assertThat(this.client.delete("j1")).isFalse();
	}

	@Test
	void shouldListTheSubmissionIdsRayHolds() {
		assertThat(this.client.submissionIds()).isEmpty();
		this.client.submit(request("j1"));
		this.client.submit(request("j2"));

		assertThat(this.client.submissionIds()).containsExactlyInAnyOrder("j1", "j2");
		assertThat(this.ray.requests()).extracting((r) -> r.method() + " " + r.path()).endsWith("GET /api/jobs/");
	}

	/** The list is not retried: the sweep that calls it lists again at its next round. */
	@Test
	void shouldReportAFailedListAtOnce() {
		this.ray.failNext(1, 503);

		assertThatThrownBy(this.client::submissionIds).isInstanceOf(RayCallException.class)
			.hasMessageContaining("simulated failure")
			.extracting((ex) -> ((RayCallException) ex).retryable())
			.isEqualTo(true);
		assertThat(this.ray.requests()).hasSize(1);
	}

	@Test
	void shouldReportAListConnectionErrorAsRetryable() {
		FakeRayHeadFixture gone = new FakeRayHeadFixture();
		String address = gone.address();
		gone.close();

		assertThatThrownBy(client(address, 1)::submissionIds).isInstanceOf(RayCallException.class)
			.extracting((ex) -> ((RayCallException) ex).retryable())
			.isEqualTo(true);
	}

}
