package io.raylane.jobspec;

import java.util.Map;
import java.util.stream.Stream;

import io.raylane.topics.Jobs;
import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.JobSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code env} names a JobSpec may set (issue 12): none that change how Ray, the GPU
 * runtime or the loader behave; PYTHONPATH only inside code_path.
 */
class EnvPolicyTest {

	static final String CODE = "/shared/users/alice/code/v1";

	static Stream<Arguments> env() {
		return Stream.of(
				Arguments.of("Ray's address", Map.of("RAY_ADDRESS", "http://127.0.0.9:8265"), "env.RAY_ADDRESS"),
				Arguments.of("any other Ray setting", Map.of("RAY_DEDUP_LOGS", "0"), "env.RAY_DEDUP_LOGS"),
				Arguments.of("Raylane's own", Map.of("RAYLANE_JOB_ID", "rl-x"), "env.RAYLANE_JOB_ID"),
				Arguments.of("the GPUs Ray assigned", Map.of("CUDA_VISIBLE_DEVICES", "0,1,2,3"),
						"env.CUDA_VISIBLE_DEVICES"),
				Arguments.of("the container's GPUs", Map.of("NVIDIA_VISIBLE_DEVICES", "all"),
						"env.NVIDIA_VISIBLE_DEVICES"),
				Arguments.of("code preloaded into every process", Map.of("LD_PRELOAD", "/tmp/x.so"), "env.LD_PRELOAD"),
				Arguments.of("PYTHONPATH outside code_path", Map.of("PYTHONPATH", "/shared/users/bob/code/v1"),
						"env.PYTHONPATH"),
				Arguments.of("PYTHONPATH that climbs out of code_path", Map.of("PYTHONPATH", CODE + "/../../bob"),
						"env.PYTHONPATH"),
				Arguments.of("PYTHONPATH relative", Map.of("PYTHONPATH", "lib"), "env.PYTHONPATH"),
				Arguments.of("PYTHONPATH with an empty entry (the working directory)",
						Map.of("PYTHONPATH", CODE + "/lib:"), "env.PYTHONPATH"),
				Arguments.of("NCCL tuning (the job's own processes)", Map.of("NCCL_DEBUG", "INFO"), null),
				Arguments.of("a Hugging Face cache of the job's own, instead of the shared <root>/hf",
						Map.of("HF_HOME", "/shared/users/alice/hf"), null),
				Arguments.of("libraries the job's processes load", Map.of("LD_LIBRARY_PATH", "/usr/local/cuda/lib64"),
						null),
				Arguments.of("PYTHONPATH inside code_path and the node's own",
						Map.of("PYTHONPATH", CODE + "/lib:" + CODE + ":${PYTHONPATH}"), null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void env(String scenario, Map<String, String> env, String wantField) {
		JobSpec spec = Jobs.aJob("j").env(env).codePath(CODE).spec();

		if (wantField == null) {
			assertThat(JobSpecValidator.validate(spec)).isEmpty();
		}
		else {
			assertThat(JobSpecValidator.validate(spec)).singleElement()
				.satisfies((e) -> assertThat(e.field()).isEqualTo(wantField))
				.extracting(FieldError::message)
				.asString()
				.isNotBlank();
		}
	}

}
