package io.raylane.submitter.dispatch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.raylane.rayclient.wire.RayJobSubmitRequest;
import io.raylane.topics.events.SubmitToRay;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RaySubmissionTest {

	static SubmitToRay command(Map<String, Double> resources, Map<String, String> metadata) {
		return new SubmitToRay(1, "j1", "alice", "a100", null, "echo hi", Map.of("env_vars", Map.of("A", "1")),
				resources, metadata, null, List.of());
	}

	@Test
	void shouldReserveTheDriversGpusOnlyForTorchrunSft() {
		io.raylane.topics.job.JobSpec sft = new io.raylane.topics.job.JobSpec("s", "sft", null, "a100",
				io.raylane.topics.job.Resources.of(1, 8), null, Map.of(), null, "0.6.1",
				new io.raylane.topics.job.ModelSpec("/s/m"),
				new io.raylane.topics.job.DataSpec(List.of("/s/d.parquet"), null), null, null, null, null, null, null);
		io.raylane.topics.job.JobSpec raySft = new io.raylane.topics.job.JobSpec("s", "sft", null, "a100",
				io.raylane.topics.job.Resources.of(2, 8), null, Map.of(), null, "0.7", sft.model(), sft.data(), null,
				null, null, null, null, null);

		assertThat(RaySubmission.requestOf(withSpec(sft)).entrypointNumGpus()).isEqualTo(8.0);
		assertThat(RaySubmission.requestOf(withSpec(raySft)).entrypointNumGpus()).isNull();
		assertThat(RaySubmission.requestOf(withSpec(null)).entrypointNumGpus()).isNull();
	}

	private static SubmitToRay withSpec(io.raylane.topics.job.JobSpec spec) {
		return new SubmitToRay(1, "j1", "alice", "a100", spec, "echo hi", Map.of(), Map.of(), Map.of(), null,
				List.of());
	}

	@Test
	void shouldUseTheJobIdAsSubmissionIdAndKeepTheSchedulersFields() {
		RayJobSubmitRequest request = RaySubmission.requestOf(command(Map.of("raylane-pool-a100", 1.0),
				Map.of("raylane_job_id", "j1", "raylane_user", "alice", "raylane_pool", "a100", "team", "rl")));

		assertThat(request).isEqualTo(new RayJobSubmitRequest("echo hi", "j1", Map.of("env_vars", Map.of("A", "1")),
				Map.of("raylane_job_id", "j1", "raylane_user", "alice", "raylane_pool", "a100", "team", "rl"), null,
				null, Map.of("raylane-pool-a100", 1.0)));
	}

	@Test
	void shouldAddTheRaylaneMetadataAndPoolResourceWhenMissing() {
		Map<String, String> metadata = new HashMap<>();
		metadata.put("note", null);

		RayJobSubmitRequest request = RaySubmission.requestOf(command(null, metadata));

		assertThat(request.metadata())
			.isEqualTo(Map.of("raylane_job_id", "j1", "raylane_user", "alice", "raylane_pool", "a100"));
		assertThat(request.entrypointResources()).isEqualTo(Map.of("raylane-pool-a100", 1.0));
	}

}
