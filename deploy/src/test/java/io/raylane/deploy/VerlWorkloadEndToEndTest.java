package io.raylane.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.jobspec.workload.VerlVersion;
import io.raylane.topics.json.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * verl JobSpecs end to end on the all-in-one stack and its local head, with a TEST
 * FIXTURE standing in for {@code verl.trainer.main_ppo} and
 * {@code verl.trainer.sft_trainer_ray} (src/test/resources/fixtures/verl-fixture, which
 * prints what verl prints and calls the JobSpec's reward function as verl does, copied
 * into the caller's {@code users/alice/code/<version>/} and put first on PYTHONPATH
 * through {@code code_path}). The fixture checks its Hydra arguments, prints verl's step
 * lines and writes {@code global_step_N} folders; it needs python3. Where the venv of the
 * default verl version exists ({@code verl-keys/install-verl.sh}), every job hands its
 * python to the fixture ({@code FIXTURE_VERL_PYTHON}), which then composes the real verl
 * config from its arguments with Hydra, as verl's main_ppo does, and fails where verl
 * would; without it the fixture reads its arguments by hand (and the test that needs
 * Hydra is skipped).
 */
@Tag("slow")
class VerlWorkloadEndToEndTest {

	static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);

	@TempDir
	static Path root;

	@AutoClose
	static LocalStack stack;

	static RaylaneClient alice;

	static Path shared;

	/** The python of the default verl version's venv, when installed. */
	static final Path VERL_PYTHON = verlPython();

	@BeforeAll
	static void startStack() throws Exception {
		Assumptions.assumeTrue(python3(), "python3 is not on this machine: the verl fixture cannot run, test skipped");
		stack = LocalStack.start(LocalStackSettings.forTest(root));
		alice = new RaylaneClient(stack.apiUrl(), RaylaneClient.devTokens(stack.settings().dataDir()).get("alice"));
		shared = stack.settings().sharedRoot();
		Files.createDirectories(shared.resolve("common/models/tiny"));
		Files.createDirectories(shared.resolve("common/datasets/toy"));
		Files.writeString(shared.resolve("common/datasets/toy/train.parquet"), "");
		installFixture("v1");
		installFixture("v2");
		Files.createDirectories(shared.resolve("users/alice/code/rewards"));
		Files.writeString(shared.resolve("users/alice/code/rewards/fixture_reward.py"), REWARD);
		alice.awaitHealthy();
	}

	/**
	 * A custom reward with verl's keyword signature: 0.75 only when called as verl's
	 * reward manager calls it (the fixture passes data_source="fixture").
	 */
	static final String REWARD = """
			def fixture_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
			    return 0.75 if data_source == "fixture" else 0.0
			""";

	/**
	 * Issue 13 item 7: PPO, GRPO and SFT on the default verl version, each with its step
	 * and total in the JobView while it runs (SFT's total only because Raylane sets
	 * VERL_SFT_LOGGING_LEVEL=INFO), the latest metrics, PPO's and GRPO's custom reward
	 * scoring in the trainer (critic/score/mean is what the JobSpec's function returned),
	 * and the last checkpoints kept.
	 */
	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			ppo  | critic/score/mean | 0.75
			grpo | critic/score/mean | 0.75
			sft  | train/loss        | 0
			""")
	void shouldRunTheWorkloadWithRewardProgressAndRetainedCheckpoints(String workload, String metric, double lastValue)
			throws IOException {
		String id = alice.submitYaml(spec(workload, workload + "-e2e", 6, 2));

		List<Integer> steps = new ArrayList<>();
		List<Integer> totals = new ArrayList<>();
		await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
			JsonNode job = alice.job(id);
			JsonNode progress = job.path("progress");
			if (progress.has("step") && !steps.contains(progress.get("step").asInt())) {
				steps.add(progress.get("step").asInt());
				totals.add(progress.path("total_steps").asInt(-1));
			}
			return job.get("status").asString().equals("SUCCEEDED") || job.get("status").asString().equals("FAILED");
		});
		JsonNode job = alice.job(id);

		assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
		assertThat(steps).as("progress moved while the job ran").hasSizeGreaterThanOrEqualTo(2).isSorted();
		assertThat(totals).as("the total was in the JobView with every step").containsOnly(6);
		// the metrics of the step the JobView shows last (the fixture's SFT loss is
		// 2/step; the last reading may come before the last step)
		int shown = job.path("progress").path("step").asInt();
		double expected = workload.equals("sft") ? Math.round(2.0 / shown * 10_000) / 10_000.0 : lastValue;
		assertThat(job.path("progress").path("metrics").path(metric).asDouble()).isEqualTo(expected);
		Path jobDir = Path.of(job.get("job_dir").asString());
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(stepFolders(jobDir)).containsExactly("global_step_5", "global_step_6"));
		assertThat(jobDir.resolve("checkpoints/latest_checkpointed_iteration.txt")).hasContent("6");
		if (!workload.equals("sft")) {
			assertThat(logs(id)).contains("fixture: custom reward function fixture_score from "
					+ shared.resolve("users/alice/code/rewards/fixture_reward.py"));
		}
		else {
			assertThat(logs(id)).contains("sft_trainer_ray.py][INFO] - [Rank 0] Total training steps: 6,");
		}
	}

	@Test
	void shouldRunPpoShowProgressAndKeepTheLastCheckpoints() throws IOException {
		String id = alice.submitYaml(ppo("ppo-fixture", "v1", 8, 2, Map.of("FIXTURE_STEP_SECONDS", "0.7")));

		List<Integer> steps = new ArrayList<>();
		await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
			JsonNode job = alice.job(id);
			JsonNode progress = job.path("progress");
			if (progress.has("step") && !steps.contains(progress.get("step").asInt())) {
				steps.add(progress.get("step").asInt());
				assertThat(progress.get("total_steps").asInt()).isEqualTo(8);
				assertThat(progress.get("updated_at").asString()).isNotBlank();
			}
			return job.get("status").asString().equals("SUCCEEDED") || job.get("status").asString().equals("FAILED");
		});
		JsonNode job = alice.job(id);

		assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
		assertThat(steps).as("progress moved while the job ran").hasSizeGreaterThanOrEqualTo(2).isSorted();
		Path jobDir = Path.of(job.get("job_dir").asString());
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(stepFolders(jobDir)).containsExactly("global_step_7", "global_step_8"));
		assertThat(jobDir.resolve("checkpoints/latest_checkpointed_iteration.txt")).hasContent("8");
		assertThat(jobDir.resolve("config/overrides.txt")).content()
			.contains("trainer.default_local_dir=" + jobDir.resolve("checkpoints"), "trainer.save_freq=1");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(jobDir.resolve("logs/driver.log")).content()
				.contains("fixture verl version v1", "step:8 - "));
		if (Files.isExecutable(VERL_PYTHON)) {
			assertThat(jobDir.resolve("logs/driver.log")).content()
				.contains("fixture: verl config composed by Hydra from");
		}
		try (Stream<Path> files = Files.walk(jobDir.resolve("logs/outputs"))) {
			assertThat(files.map(Path::toString)).anyMatch((p) -> p.endsWith(".hydra/overrides.yaml"));
		}
	}

	@Test
	void shouldRunTwoJobsWithTheirOwnCodeVersionAtTheSameTime() {
		String first = alice.submitYaml(ppo("code-v1", "v1", 6, 3, Map.of("FIXTURE_STEP_SECONDS", "0.8")));
		String second = alice.submitYaml(ppo("code-v2", "v2", 6, 3, Map.of("FIXTURE_STEP_SECONDS", "0.8")));

		JsonNode one = alice.awaitStatus(first, JOB_TIMEOUT, "SUCCEEDED", "FAILED");
		JsonNode two = alice.awaitStatus(second, JOB_TIMEOUT, "SUCCEEDED", "FAILED");

		assertThat(one.get("status").asString()).isEqualTo("SUCCEEDED");
		assertThat(two.get("status").asString()).isEqualTo("SUCCEEDED");
		assertThat(logs(first))
			.contains("fixture verl version v1 imported from " + shared.resolve("users/alice/code/v1"));
		assertThat(logs(second))
			.contains("fixture verl version v2 imported from " + shared.resolve("users/alice/code/v2"));
		Instant start1 = Instant.parse(one.get("started_at").asString());
		Instant end1 = Instant.parse(one.get("ended_at").asString());
		Instant start2 = Instant.parse(two.get("started_at").asString());
		Instant end2 = Instant.parse(two.get("ended_at").asString());
		assertThat(start1).as("the runs overlap").isBefore(end2);
		assertThat(start2).as("the runs overlap").isBefore(end1);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			nccl    | nccl    | torch.distributed.DistBackendError: NCCL error in
			oom_gpu | oom_gpu | torch.OutOfMemoryError: CUDA out of memory
			data    | data    | No such file or directory
			""")
	void shouldEndFailedWithTheDiagnosis(String mode, String category, String line) {
		String id = alice.submitYaml(ppo("fail-" + mode.replace('_', '-'), "v1", 4, 3,
				Map.of("FIXTURE_FAIL", mode, "FIXTURE_STEP_SECONDS", "0.1")));

		alice.awaitStatus(id, JOB_TIMEOUT, "FAILED", "SUCCEEDED");
		JsonNode job = await().atMost(Duration.ofSeconds(30)).until(() -> alice.job(id), (j) -> j.has("failure"));

		assertThat(job.get("status").asString()).isEqualTo("FAILED");
		assertThat(job.get("failure").get("category").asString()).isEqualTo(category);
		assertThat(job.get("failure").get("evidence").get(0).asString()).contains(line);
		assertThat(job.get("failure").get("hint").asString()).isNotBlank();
	}

	@Test
	void shouldFailWhereVerlWouldWithVerlsOwnMessage() {
		Assumptions.assumeTrue(Files.isExecutable(VERL_PYTHON),
				"no venv of the default verl at " + VERL_PYTHON + " (verl-keys/install-verl.sh): test skipped");
		// a value Raylane passes through and verl's Hydra cannot parse
		String id = alice.submitYaml(ppo("bad-value", "v1", 4, 3, Map.of("FIXTURE_STEP_SECONDS", "0.1"),
				List.of("actor_rollout_ref.actor.entropy_coeff=[0")));

		JsonNode job = alice.awaitStatus(id, JOB_TIMEOUT, "FAILED", "SUCCEEDED");

		assertThat(job.get("status").asString()).isEqualTo("FAILED");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(
					() -> assertThat(logs(id)).contains("no viable alternative at input '[0'", "HYDRA_FULL_ERROR=1"));
		assertThat(logs(id)).doesNotContain("Total training steps");
	}

	private static String ppo(String name, String version, int steps, int keepLast, Map<String, String> env) {
		return ppo(name, version, steps, keepLast, env, List.of());
	}

	private static String ppo(String name, String version, int steps, int keepLast, Map<String, String> env,
			List<String> overrides) {
		Map<String, String> vars = new java.util.TreeMap<>(env);
		if (Files.isExecutable(VERL_PYTHON)) {
			vars.put("FIXTURE_VERL_PYTHON", VERL_PYTHON.toString());
		}
		StringBuilder yaml = new StringBuilder();
		yaml.append("name: ")
			.append(name)
			.append('\n')
			.append("workload: ppo\n")
			.append("resources: {nnodes: 1, n_gpus_per_node: 1}\n")
			.append("model: {path: ")
			.append(shared.resolve("common/models/tiny"))
			.append("}\n")
			.append("data: {train_files: [")
			.append(shared.resolve("common/datasets/toy/train.parquet"))
			.append("]}\n")
			.append("trainer: {total_training_steps: ")
			.append(steps)
			.append("}\n")
			.append("checkpoint: {save_freq: 1, keep_last: ")
			.append(keepLast)
			.append("}\n")
			.append("code_path: ")
			.append(shared.resolve("users/alice/code").resolve(version))
			.append('\n')
			.append("env:\n");
		vars.forEach((k, v) -> yaml.append("  ").append(k).append(": \"").append(v).append("\"\n"));
		if (!overrides.isEmpty()) {
			yaml.append("overrides:\n");
			overrides.forEach((o) -> yaml.append("  - \"").append(o).append("\"\n"));
		}
		return yaml.toString();
	}

	/** A verl JobSpec of the default version on fixture v1, saving every step. */
	private static String spec(String workload, String name, int steps, int keepLast) {
		StringBuilder yaml = new StringBuilder();
		yaml.append("name: ").append(name).append('\n');
		yaml.append("workload: ").append(workload).append('\n');
		yaml.append("resources: {nnodes: 1, n_gpus_per_node: 1}\n");
		yaml.append("model: {path: ").append(shared.resolve("common/models/tiny")).append("}\n");
		yaml.append("data: {train_files: [").append(shared.resolve("common/datasets/toy/train.parquet")).append("]}\n");
		yaml.append("checkpoint: {save_freq: 1, keep_last: ").append(keepLast).append("}\n");
		yaml.append("code_path: ").append(shared.resolve("users/alice/code/v1")).append('\n');
		if (!workload.equals("sft")) {
			yaml.append("reward: {path: ")
				.append(shared.resolve("users/alice/code/rewards/fixture_reward.py"))
				.append(", function: fixture_score}\n");
		}
		// 1.5 s a step: the observer reads progress every second (LocalStack), and a busy
		// machine (two test classes at a time) may skip a reading; 0.7 s let an SFT run
		// of 6
		// steps show only one
		yaml.append("env:\n  FIXTURE_STEP_SECONDS: \"1.5\"\n");
		if (Files.isExecutable(VERL_PYTHON)) {
			yaml.append("  FIXTURE_VERL_PYTHON: \"").append(VERL_PYTHON).append("\"\n");
		}
		yaml.append("overrides:\n  - \"trainer.total_training_steps=").append(steps).append("\"\n");
		return yaml.toString();
	}

	/**
	 * {@code $RAYLANE_VERL_VENV_ROOT/verl-<default version>/bin/python} (default root
	 * {@code ~/.cache/raylane}), as verl-keys/install-verl.sh lays it out.
	 */
	private static Path verlPython() {
		String root = System.getenv("RAYLANE_VERL_VENV_ROOT");
		Path base = (root != null && !root.isBlank()) ? Path.of(root)
				: Path.of(System.getProperty("user.home"), ".cache", "raylane");
		return base.resolve("verl-" + VerlVersion.DEFAULT.label()).resolve("bin/python");
	}

	private static String logs(String id) {
		return Json.mapper().readTree(alice.get("/v1/jobs/" + id + "/logs").body()).get("logs").asString();
	}

	private static List<String> stepFolders(Path jobDir) throws IOException {
		try (Stream<Path> entries = Files.list(jobDir.resolve("checkpoints"))) {
			return entries.map((p) -> p.getFileName().toString())
				.filter((n) -> n.startsWith("global_step_"))
				.sorted()
				.toList();
		}
	}

	private static void installFixture(String version) throws IOException {
		Path source = Path.of("src/test/resources/fixtures/verl-fixture");
		Path target = shared.resolve("users/alice/code").resolve(version);
		try (Stream<Path> files = Files.walk(source)) {
			for (Path file : files.toList()) {
				Path to = target.resolve(source.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(to);
				}
				else {
					Files.copy(file, to);
				}
			}
		}
		Files.writeString(target.resolve("verl/fixture_version.txt"), version + "\n");
	}

	private static boolean python3() {
		try {
			Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
			return p.waitFor() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
