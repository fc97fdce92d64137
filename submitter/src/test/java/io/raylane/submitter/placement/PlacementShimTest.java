package io.raylane.submitter.placement;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.rayclient.wire.RayJobSubmitRequest;
import io.raylane.rayclient.wire.RayJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class PlacementShimTest {

	static final Path SHIM = Path.of("/shared/jobs/rl-1/config/raylane_placement");

	static final Map<String, String> SELECTOR = Map.of("raylane.io/node", "in(gpu-1,gpu-2)");

	static RayJobSubmitRequest request(Map<String, Object> runtimeEnv) {
		return new RayJobSubmitRequest("python3 train.py", "rl-1", runtimeEnv, Map.of("raylane_job_id", "rl-1"), null,
				null, Map.of("raylane-pool-a100", 1.0));
	}

	static Stream<Arguments> pythonPaths() {
		return Stream.of(Arguments.of("no runtime_env: the node's own after the shim", null, SHIM + ":${PYTHONPATH}"),
				Arguments.of("no env_vars", Map.of("pip", "x"), SHIM + ":${PYTHONPATH}"),
				Arguments.of("the job's code path kept behind the shim",
						Map.of("env_vars", Map.of("PYTHONPATH", "/code/v1:${PYTHONPATH}")),
						SHIM + ":/code/v1:${PYTHONPATH}"),
				Arguments.of("an empty PYTHONPATH", Map.of("env_vars", Map.of("PYTHONPATH", "")), SHIM.toString()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("pythonPaths")
	@SuppressWarnings("unchecked")
	void shouldPutTheShimFirstOnPythonPathAndTheSelectorInTheEnv(String name, Map<String, Object> runtimeEnv,
			String pythonPath) {
		RayJobSubmitRequest applied = PlacementShim.apply(request(runtimeEnv), SELECTOR, SHIM);

		Map<String, String> vars = (Map<String, String>) applied.runtimeEnv().get("env_vars");
		assertThat(vars).containsEntry("PYTHONPATH", pythonPath)
			.containsEntry("RAYLANE_PLACEMENT_SELECTOR", "{\"raylane.io/node\":\"in(gpu-1,gpu-2)\"}");
		assertThat(applied.entrypointLabelSelector()).as("the driver too").isEqualTo(SELECTOR);
	}

	@Test
	@SuppressWarnings("unchecked")
	void shouldHoldTheDriverOnlyByLabelsThatOutliveANodesRestart() {
		Map<String, String> rayIds = Map.of("ray.io/node-id", "in(" + "ab".repeat(28) + ")");
		Map<String, String> pool = Map.of("raylane.io/pool", "a100");

		RayJobSubmitRequest learned = PlacementShim.apply(request(null), rayIds, SHIM);
		RayJobSubmitRequest mixed = PlacementShim.apply(request(null), pool, SHIM);

		// GPU work still gets Ray's node ids through the shim; the driver keeps its pool
		// resource only, so a re-joined node (a new Ray id) can still start it
		assertThat((Map<String, String>) learned.runtimeEnv().get("env_vars"))
			.containsEntry("RAYLANE_PLACEMENT_SELECTOR", "{\"ray.io/node-id\":\"in(" + "ab".repeat(28) + ")\"}");
		assertThat(learned.entrypointLabelSelector()).isEmpty();
		assertThat(learned.entrypointResources()).containsEntry("raylane-pool-a100", 1.0);
		assertThat(mixed.entrypointLabelSelector()).isEqualTo(pool);
	}

	@Test
	@SuppressWarnings("unchecked")
	void shouldKeepEverythingElseOfTheRequest() {
		Map<String, Object> runtimeEnv = new LinkedHashMap<>();
		runtimeEnv.put("env_vars", Map.of("GREETING", "hi"));
		runtimeEnv.put("config", Map.of("setup_timeout_seconds", 60));
		RayJobSubmitRequest original = request(runtimeEnv);

		RayJobSubmitRequest applied = PlacementShim.apply(original, SELECTOR, SHIM);

		assertThat(applied.entrypoint()).isEqualTo(original.entrypoint());
		assertThat(applied.submissionId()).isEqualTo("rl-1");
		assertThat(applied.metadata()).isEqualTo(original.metadata());
		assertThat(applied.entrypointResources()).isEqualTo(Map.of("raylane-pool-a100", 1.0));
		assertThat(applied.runtimeEnv()).containsEntry("config", Map.of("setup_timeout_seconds", 60));
		assertThat((Map<String, String>) applied.runtimeEnv().get("env_vars")).containsEntry("GREETING", "hi");
		assertThat(original.runtimeEnv().get("env_vars")).as("the original is not changed")
			.isEqualTo(Map.of("GREETING", "hi"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void shouldGiveTheShimTheGpusReservedPerNodeWhenKnown() {
		Map<String, Object> own = Map.of("env_vars", Map.of("RAYLANE_PLACEMENT_GPUS", "{\"gpu-9\":8}"));

		RayJobSubmitRequest withGpus = PlacementShim.apply(request(null), SELECTOR, Map.of("gpu-2", 2, "gpu-1", 2),
				SHIM);
		RayJobSubmitRequest without = PlacementShim.apply(request(own), SELECTOR, Map.of(), SHIM);

		assertThat((Map<String, String>) withGpus.runtimeEnv().get("env_vars")).containsEntry("RAYLANE_PLACEMENT_GPUS",
				"{\"gpu-1\":2,\"gpu-2\":2}");
		assertThat((Map<String, String>) without.runtimeEnv().get("env_vars"))
			.as("a job's own variable of that name does not pose as the reservation")
			.doesNotContainKey("RAYLANE_PLACEMENT_GPUS");
	}

	@Test
	void shouldLeaveTheRequestAloneWithoutASelector() {
		RayJobSubmitRequest original = request(Map.of("env_vars", Map.of("A", "b")));

		assertThat(PlacementShim.apply(original, Map.of(), SHIM)).isSameAs(original);
		assertThat(PlacementShim.apply(original, null, SHIM)).isSameAs(original);
	}

	@Test
	void shouldSendTheDriversSelectorAsRayNamesIt() {
		RayJobSubmitRequest applied = PlacementShim.apply(request(null), SELECTOR, SHIM);

		assertThat(RayJson.requestMapper().writeValueAsString(applied))
			.contains("\"entrypoint_label_selector\":{\"raylane.io/node\":\"in(gpu-1,gpu-2)\"}");
		assertThat(RayJson.requestMapper().writeValueAsString(request(null)))
			.as("no selector: the key is not sent (Ray before 2.5x refuses unknown keys)")
			.doesNotContain("entrypoint_label_selector");
	}

	@Test
	void shouldShipTheShimScript() {
		assertThat(PlacementShim.script()).contains("RAYLANE_PLACEMENT_SELECTOR", "RAYLANE_PLACEMENT_GPUS",
				"bundle_label_selector", "label_selector");
	}

}
