package io.raylane.jobspec.workload;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.topics.Jobs;
import io.raylane.topics.job.JobSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 item 5: every job's runtime_env sets {@code HF_HOME} to the shared Hugging
 * Face cache {@code <shared root>/hf}, under the pool's defaults and the job's own
 * {@code env} (both may point it elsewhere: EnvPolicy allows {@code HF_*}).
 */
class HfHomeEnvTest {

	static final String HF = "/shared/hf";

	static Stream<Arguments> hfHome() {
		return Stream.of(Arguments.of("the shared cache by default", HF, Map.of(), Map.of(), HF),
				Arguments.of("no shared root known: no HF_HOME", null, Map.of(), Map.of(), null),
				Arguments.of("a pool with a node-local cache wins over the shared one", HF,
						Map.of("HF_HOME", "/nvme/hf"), Map.of(), "/nvme/hf"),
				Arguments.of("the job's own env wins over the pool and the shared cache", HF,
						Map.of("HF_HOME", "/nvme/hf"), Map.of("HF_HOME", "/shared/users/alice/hf"),
						"/shared/users/alice/hf"),
				Arguments.of("other HF variables of the job leave HF_HOME alone", HF, Map.of(),
						Map.of("HF_HUB_OFFLINE", "1"), HF));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void hfHome(String scenario, String hfHome, Map<String, String> poolEnv, Map<String, String> jobEnv,
			String wantHfHome) {
		JobSpec spec = Jobs.aJob("j").command("python3 train.py").env(jobEnv).spec();

		Map<String, Object> env = WorkloadComposer.runtimeEnv(spec,
				new ComposeContext("j", "/shared/jobs/j", "alice", poolEnv, hfHome, List.of(), List.of()));

		@SuppressWarnings("unchecked")
		Map<String, String> vars = (Map<String, String>) env.getOrDefault("env_vars", Map.of());
		assertThat(vars.get("HF_HOME")).isEqualTo(wantHfHome);
		jobEnv.forEach((name, value) -> assertThat(vars).containsEntry(name, value));
	}

}
