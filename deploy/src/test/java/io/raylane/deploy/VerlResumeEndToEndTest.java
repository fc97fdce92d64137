package io.raylane.deploy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.raylane.jobspec.workload.VerlVersion;
import io.raylane.topics.json.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code resume_from} end to end (issue 13 items 4 and 7) on the all-in-one stack and its
 * local head, with the TEST FIXTURE standing in for {@code verl.trainer.main_ppo}
 * (src/test/resources/fixtures/verl-fixture, as in {@link VerlWorkloadEndToEndTest}): a
 * PPO run is stopped after it saved checkpoints, and a job resuming it starts at the
 * earlier run's last step + 1, loading that step's folder from the earlier job's
 * directory, as verl's trainer does with the keys Raylane composes. Where the venv of the
 * default verl exists, the fixture composes the real verl config from the arguments
 * first. Needs python3.
 */
@Tag("slow")
class VerlResumeEndToEndTest {

	static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);

	static final int TOTAL_STEPS = 40;

	@TempDir
	static Path root;

	@AutoClose
	static LocalStack stack;

	static RaylaneClient alice;

	static RaylaneClient bob;

	static Path shared;

	@BeforeAll
	static void startStack() throws Exception {
		Assumptions.assumeTrue(python3(), "python3 is not on this machine: the verl fixture cannot run, test skipped");
		stack = LocalStack.start(LocalStackSettings.forTest(root));
		Map<String, String> tokens = RaylaneClient.devTokens(stack.settings().dataDir());
		alice = new RaylaneClient(stack.apiUrl(), tokens.get("alice"));
		bob = alice.as(tokens.get("bob"));
		shared = stack.settings().sharedRoot();
		Files.createDirectories(shared.resolve("common/models/tiny"));
		Files.createDirectories(shared.resolve("common/models/other"));
		Files.createDirectories(shared.resolve("common/datasets/toy"));
		Files.writeString(shared.resolve("common/datasets/toy/train.parquet"), "");
		installFixture();
		alice.awaitHealthy();
	}

	@Test
	void shouldResumeAStoppedRunFromItsLastCheckpoint() throws IOException {
		// 1. a run stopped once it saved a few checkpoints
		String first = alice.submitYaml(ppo("resume-first", "ppo", "tiny", "0.4", null));
		Path firstDir = Path.of(alice.job(first).get("job_dir").asString());
		Path tracker = firstDir.resolve("checkpoints/latest_checkpointed_iteration.txt");
		await().atMost(JOB_TIMEOUT)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> Files.exists(tracker) && Files.readString(tracker).strip().matches("[3-9]|[1-9][0-9]"));
		assertThat(alice.post("/v1/jobs/" + first + ":stop", null, "").statusCode()).isEqualTo(202);
		assertThat(alice.awaitStatus(first, JOB_TIMEOUT, "STOPPED", "SUCCEEDED", "FAILED").get("status").asString())
			.isEqualTo("STOPPED");

		// 2. what cannot resume it: another user (as if it did not exist), another
		// workload, another model
		HttpResponse<String> bobs = bob.post("/v1/jobs", "application/yaml", ppo("bob", "ppo", "tiny", "0.05", first));
		HttpResponse<String> unknown = bob.post("/v1/jobs", "application/yaml",
				ppo("bob", "ppo", "tiny", "0.05", "rl-no-such-job"));
		assertThat(bobs.statusCode()).isEqualTo(400);
		assertThat(error(bobs).get("field").asString()).isEqualTo("resume_from");
		assertThat(bobs.body().replace(first, "ID")).isEqualTo(unknown.body().replace("rl-no-such-job", "ID"));
		HttpResponse<String> grpo = alice.post("/v1/jobs", "application/yaml", ppo("g", "grpo", "tiny", "0.05", first));
		assertThat(grpo.statusCode()).isEqualTo(400);
		assertThat(error(grpo).get("detail").asString()).contains("ran workload 'ppo'");
		HttpResponse<String> model = alice.post("/v1/jobs", "application/yaml",
				ppo("m", "ppo", "other", "0.05", first));
		assertThat(model.statusCode()).isEqualTo(400);
		assertThat(error(model).get("detail").asString()).contains("a resume continues the same model");

		// 3. the resumed run: from the earlier run's latest step, which the API recorded
		int last = Integer.parseInt(Files.readString(tracker).strip());
		String resumed = alice.submitYaml(ppo("resume-second", "ppo", "tiny", "0.05", first));
		assertThat(alice.job(resumed).get("spec").get("resume_step").asInt()).isEqualTo(last);
		JsonNode job = alice.awaitStatus(resumed, JOB_TIMEOUT, "SUCCEEDED", "FAILED", "STOPPED");
		assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
		Path resumedDir = Path.of(job.get("job_dir").asString());
		Path from = firstDir.resolve("checkpoints/global_step_" + last);
		assertThat(resumedDir.resolve("config/overrides.txt")).content()
			.contains("trainer.resume_mode=resume_path", "trainer.resume_from_path=" + from,
					"trainer.default_local_dir=" + resumedDir.resolve("checkpoints"));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(logs(resumed)).contains("step:" + TOTAL_STEPS + " - "));
		assertThat(logs(resumed)).contains("Load from checkpoint folder: " + from, "Setting global step to " + last);
		assertThat(steps(logs(resumed))).as("the resumed run's steps").first().isEqualTo(last + 1);
		assertThat(steps(logs(resumed))).last().isEqualTo(TOTAL_STEPS);
		assertThat(from).as("the earlier run's checkpoint is still there").isDirectory();
		assertThat(resumedDir.resolve("checkpoints/global_step_" + TOTAL_STEPS)).isDirectory();

		// 4. a run that finished is not resumed
		HttpResponse<String> finished = alice.post("/v1/jobs", "application/yaml",
				ppo("f", "ppo", "tiny", "0.05", resumed));
		assertThat(finished.statusCode()).isEqualTo(409);
		assertThat(error(finished).get("error").asString()).isEqualTo("cannot_resume");
		assertThat(error(finished).get("detail").asString()).contains("ended SUCCEEDED");
	}

	private static String ppo(String name, String workload, String model, String stepSeconds, String resumeFrom) {
		Map<String, String> env = new TreeMap<>(Map.of("FIXTURE_STEP_SECONDS", stepSeconds));
		Path verlPython = verlPython();
		if (Files.isExecutable(verlPython)) {
			env.put("FIXTURE_VERL_PYTHON", verlPython.toString());
		}
		StringBuilder yaml = new StringBuilder();
		yaml.append("name: ").append(name).append('\n');
		yaml.append("workload: ").append(workload).append('\n');
		yaml.append("resources: {nnodes: 1, n_gpus_per_node: 1}\n");
		yaml.append("model: {path: ").append(shared.resolve("common/models").resolve(model)).append("}\n");
		yaml.append("data: {train_files: ").append(shared.resolve("common/datasets/toy/train.parquet")).append("}\n");
		yaml.append("trainer: {total_training_steps: ").append(TOTAL_STEPS).append("}\n");
		yaml.append("checkpoint: {save_freq: 1, keep_last: 2}\n");
		if (!name.startsWith("bob")) {
			// bob may not name alice's code: his specs run verl from the image
			yaml.append("code_path: ").append(shared.resolve("users/alice/code/fixture")).append('\n');
		}
		if (resumeFrom != null) {
			yaml.append("resume_from: ").append(resumeFrom).append('\n');
		}
		yaml.append("env:\n");
		env.forEach((k, v) -> yaml.append("  ").append(k).append(": \"").append(v).append("\"\n"));
		return yaml.toString();
	}

	/** The step numbers of the driver's {@code step:N - ...} lines, in order. */
	private static List<Integer> steps(String log) {
		Matcher m = Pattern.compile("\\bstep:(\\d+) - ").matcher(log);
		List<Integer> steps = new java.util.ArrayList<>();
		while (m.find()) {
			steps.add(Integer.parseInt(m.group(1)));
		}
		return steps;
	}

	private static JsonNode error(HttpResponse<String> response) {
		return Json.mapper().readTree(response.body());
	}

	private static String logs(String id) {
		return Json.mapper().readTree(alice.get("/v1/jobs/" + id + "/logs").body()).get("logs").asString();
	}

	private static Path verlPython() {
		String venvs = System.getenv("RAYLANE_VERL_VENV_ROOT");
		Path base = (venvs != null && !venvs.isBlank()) ? Path.of(venvs)
				: Path.of(System.getProperty("user.home"), ".cache", "raylane");
		return base.resolve("verl-" + VerlVersion.DEFAULT.label()).resolve("bin/python");
	}

	private static void installFixture() throws IOException {
		Path source = Path.of("src/test/resources/fixtures/verl-fixture");
		Path target = shared.resolve("users/alice/code/fixture");
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
		Files.writeString(target.resolve("verl/fixture_version.txt"), "resume\n");
	}

	private static boolean python3() {
		try {
			return new ProcessBuilder("python3", "--version").redirectErrorStream(true).start().waitFor() == 0;
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
