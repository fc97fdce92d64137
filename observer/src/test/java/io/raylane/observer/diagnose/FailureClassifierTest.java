package io.raylane.observer.diagnose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.raylane.topics.job.Failure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Sample driver logs (src/test/resources/driver-logs) through the phrase table. */
class FailureClassifierTest {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					nccl.log         | nccl        | torch.distributed.DistBackendError: NCCL error in
					oom-gpu.log      | oom_gpu     | torch.OutOfMemoryError: CUDA out of memory
					missing-data.log | data        | No such file or directory: '/mnt/shared/common/datasets/gsm8k/train.parquet'
					hydra.log        | hydra_config | Could not override 'trainer.made_up_key'.
					resources.log    | resources   | Total available GPUs 8 is less than total desired GPUs 16
					reward.log       | reward      | Custom module file not found
					user-code.log    | user_code   | ZeroDivisionError: division by zero
					oom-host.log     | oom_host    | were killed due to the node running low on memory
					model.log        | model       | Incorrect path_or_model_id
					""")
	void shouldClassifyASampleLogByItsRootPhrase(String file, String category, String evidence) throws IOException {
		String log = Files.readString(Path.of("src/test/resources/driver-logs", file));

		Failure failure = FailureClassifier.classify(log, "Job entrypoint command failed with exit code 1");

		assertThat(failure.category()).isEqualTo(category);
		assertThat(failure.evidence().get(0)).contains(evidence);
		assertThat(failure.hint()).isNotBlank();
	}

	@Test
	void shouldPickTheRootPhraseOverTheTrailingActorDiedError() throws IOException {
		String log = Files.readString(Path.of("src/test/resources/driver-logs/nccl.log"));

		Failure failure = FailureClassifier.classify(log, null);

		assertThat(failure.category()).isEqualTo("nccl");
		assertThat(failure.evidence()).hasSize(2).noneMatch((line) -> line.contains("ActorDiedError"));
	}

	@Test
	void shouldFallBackToTheWorkerCrashThenToRaysMessage() {
		Failure crash = FailureClassifier.classify("(TaskRunner pid=1) ray.exceptions.ActorDiedError: The actor died",
				null);
		Failure silent = FailureClassifier.classify("all fine\n", "Job supervisor actor died");

		assertThat(crash.category()).isEqualTo("unknown");
		assertThat(crash.evidence()).singleElement().asString().contains("ActorDiedError");
		assertThat(silent.category()).isEqualTo("unknown");
		assertThat(silent.evidence()).containsExactly("Job supervisor actor died");
	}

	@Test
	void shouldReadRaysRuntimeEnvMessageWithoutALog() {
		Failure failure = FailureClassifier.classify("",
				"runtime_env setup failed: Failed to set up runtime environment");

		assertThat(failure.category()).isEqualTo("runtime_env");
	}

}
