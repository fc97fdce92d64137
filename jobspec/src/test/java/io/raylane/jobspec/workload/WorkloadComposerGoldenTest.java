package io.raylane.jobspec.workload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.raylane.jobspec.JobSpecValidator;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exact entrypoint and runtime_env for a minimal and a full PPO, GRPO and SFT spec,
 * for every supported verl version. Golden files live in
 * {@code src/test/resources/golden/workload/}; run with {@code -Dgolden.update=true} to
 * rewrite them (then read the diff).
 */
class WorkloadComposerGoldenTest {

	private static final JsonMapper JSON = Json.mapper()
		.rebuild()
		.enable(SerializationFeature.INDENT_OUTPUT)
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.build();

	static Stream<Arguments> cases() {
		Stream.Builder<Arguments> cases = Stream.builder();
		for (String version : new String[] { "0.9", "0.8", "0.7", "0.6.1" }) {
			for (String workload : new String[] { "ppo", "grpo", "sft" }) {
				cases.add(Arguments.of(workload + "-minimal-" + version, VerlSpecs.minimal(workload, version)));
				cases.add(Arguments.of(workload + "-full-" + version, VerlSpecs.full(workload, version)));
				cases.add(Arguments.of(workload + "-resume-" + version,
						ResumeSpecTest.resume(VerlSpecs.minimal(workload, version), 30)));
			}
		}
		return cases.build();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void shouldComposeTheGoldenEntrypointAndRuntimeEnv(String name, JobSpec spec) throws IOException {
		assertThat(JobSpecValidator.validate(spec, "ana", Path.of(VerlSpecs.ROOT))).isEmpty();

		Composition composition = WorkloadComposer.compose(spec, VerlSpecs.CONTEXT);

		String actual = "entrypoint:\n" + composition.entrypoint() + "\n\nentrypoint_num_gpus: "
				+ composition.entrypointNumGpus() + "\n\nruntime_env:\n"
				+ JSON.writeValueAsString(composition.runtimeEnv()) + "\n\noverrides.txt:\n"
				+ String.join("\n", composition.overrides()) + "\n";
		Path golden = Path.of("src/test/resources/golden/workload", name + ".txt");
		if (Boolean.getBoolean("golden.update")) {
			Files.writeString(golden, actual, StandardCharsets.UTF_8);
		}
		assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
	}

}
