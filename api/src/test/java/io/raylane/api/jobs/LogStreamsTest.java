package io.raylane.api.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.raylane.api.LogFollowProperties;
import io.raylane.api.errors.ApiException;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link LogStreams} around the loop: the bound on streams at once, and the end of every
 * open stream when the API stops (else the web server's graceful shutdown waits for
 * them). A running job's archived log in a job directory, so no Ray is asked.
 */
class LogStreamsTest {

	private final JobViewStore views = new JobViewStore();

	private final LogStreams streams = new LogStreams(this.views,
			new JobLogs(new RayLogClient(RestClient.builder(), RayLogClientTest.settings("http://127.0.0.1:1"),
					RayLogClientTest.properties()), RayLogClientTest.settings("http://127.0.0.1:1")),
			Clock.systemUTC(),
			new LogFollowProperties(Duration.ofMinutes(10), DataSize.ofMegabytes(1), Duration.ofMillis(20), 1));

	@Test
	void shouldEndAnOpenStreamWhenTheApiStops() throws Exception {
		JobView running = running("rl-stops-" + System.nanoTime());
		MockHttpServletResponse response = new MockHttpServletResponse();
		CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> follow(running, response));
		await().until(() -> response.getContentAsString().contains("step 1"));

		this.streams.stop();

		stream.get();
		assertThat(response.getContentAsString()).isEqualTo("step 1\n");
		assertThat(response.getContentType()).startsWith("text/plain");
		assertThat(this.streams.isRunning()).isFalse();
	}

	@Test
	void shouldRefuseAStreamBeyondTheMostAtOnce() throws Exception {
		JobView running = running("rl-busy-" + System.nanoTime());
		MockHttpServletResponse first = new MockHttpServletResponse();
		CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> follow(running, first));
		await().until(() -> first.getContentAsString().contains("step 1"));

		assertThatThrownBy(() -> this.streams.follow(running, new MockHttpServletResponse()))
			.isInstanceOfSatisfying(ApiException.class, (ex) -> {
				assertThat(ex.getMessage()).contains("raylane.api.logs.max-followers");
				assertThat(ex.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
			});

		this.streams.stop();
		stream.get();
	}

	private void follow(JobView view, MockHttpServletResponse response) {
		try {
			this.streams.follow(view, response);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private JobView running(String jobId) throws Exception {
		Path jobDir = Path.of("target/shared/jobs", jobId).toAbsolutePath();
		Files.createDirectories(jobDir.resolve("logs"));
		Files.writeString(jobDir.resolve("logs/driver.log"), "step 1\n");
		JobView view = JobReadModelApiTest.view(jobId, "alice", JobStatus.RUNNING, 70)
			.toBuilder()
			.jobDir(jobDir.toString())
			.build();
		this.views.apply(view);
		return view;
	}

}
