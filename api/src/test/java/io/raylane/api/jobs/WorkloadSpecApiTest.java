package io.raylane.api.jobs;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.raylane.api.ApiIntegrationTestSupport;
import io.raylane.jobspec.workload.StoragePolicy.PathField;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * verl JobSpecs through {@code POST /v1/jobs}: every example of {@code docs/jobspec.md}
 * is accepted, bad specs are refused with 400 and the field path, the shared root's
 * folders are laid out, and the schema is served.
 */
@Tag("slow")
class WorkloadSpecApiTest extends ApiIntegrationTestSupport {

	static final Path ROOT = Path.of("target/it-shared").toAbsolutePath().normalize();

	static final Path DOC = Path.of("../docs/jobspec.md");

	@BeforeEach
	void layOutTheSharedRoot() throws IOException {
		for (String file : List.of("common/models/q/config.json", "common/datasets/d/train.parquet",
				"users/alice/code/v1/pkg/__init__.py", "users/bob/code/v1/pkg/__init__.py")) {
			Files.createDirectories(ROOT.resolve(file).getParent());
			Files.writeString(ROOT.resolve(file), "");
		}
		Files.writeString(ROOT.resolve("users/alice/code/v1/reward.py"),
				"def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kw):\n    return 1.0\n");
	}

	@Test
	void shouldAcceptEveryExampleOfTheJobSpecReference() throws Exception {
		List<String> examples = examples(Files.readString(DOC));
		assertThat(examples).hasSizeGreaterThanOrEqualTo(5);

		for (String example : examples) {
			String yaml = example.replace("/mnt/shared", ROOT.toString());
			createPathsOf(Json.yaml().readValue(yaml, JobSpec.class));

			HttpResponse<String> answer = submit(ALICE, "application/yaml", yaml);

			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
		}
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					unknown workload       | "workload": "dance"                                                         | workload
					outside the root       | "model": {"path": "/etc"}                                                   | model.path
					dot-dot                | "model": {"path": "ROOT/common/../../etc"}                                  | model.path
					missing model          | "model": {"path": "ROOT/common/models/nope"}                                | model.path
					other user's code      | "code_path": "ROOT/users/bob/code/v1"                                       | code_path
					missing reward file    | "reward": {"path": "ROOT/users/alice/code/v1/none.py"}                      | reward.path
					missing reward function| "reward": {"path": "ROOT/users/alice/code/v1/reward.py", "function": "score"} | reward.function
					override not key=value | "overrides": ["trainer.save_freq"]                                          | overrides[0]
					owned key override     | "overrides": ["trainer.default_local_dir=/tmp/x"]                           | overrides[0]
					multi-node SFT on 0.6.1| "workload": "sft", "verl_version": "0.6.1", "resources": {"nnodes": 2, "n_gpus_per_node": 8} | resources.nnodes
					no GPU                 | "resources": {"nnodes": 1, "n_gpus_per_node": 0}                            | resources.n_gpus_per_node
					""")
	void shouldRefuseABadSpecWithTheFieldPath(String name, String change, String field) throws Exception {
		HttpResponse<String> answer = submit(ALICE, "application/json", spec(change.replace("ROOT", ROOT.toString())));

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
		assertThat(json(answer).get("field").asString()).isEqualTo(field);
	}

	@Test
	void shouldRefuseAPathThatLeavesTheRootThroughASymlink() throws Exception {
		Path outside = Files.createDirectories(Path.of("target/it-outside").toAbsolutePath());
		Files.writeString(outside.resolve("train.parquet"), "");
		Path link = ROOT.resolve("users/alice/datasets/escape");
		Files.createDirectories(link.getParent());
		Files.deleteIfExists(link);
		Files.createSymbolicLink(link, outside);

		HttpResponse<String> answer = submit(ALICE, "application/json",
				spec("\"data\": {\"train_files\": [\"" + link + "/train.parquet\"]}"));

		assertThat(answer.statusCode()).isEqualTo(400);
		assertThat(json(answer).get("field").asString()).isEqualTo("data.train_files[0]");
		assertThat(json(answer).get("detail").asString()).contains("symlink");
	}

	@Test
	void shouldLayOutTheCallersFoldersOnTheFirstJob() throws Exception {
		assertThat(
				submit(BOB, "application/json", spec("\"code_path\": \"" + ROOT + "/users/bob/code/v1\"")).statusCode())
			.isEqualTo(202);

		for (String folder : List.of("datasets", "models", "code")) {
			assertThat(ROOT.resolve("users/bob").resolve(folder)).isDirectory();
			assertThat(ROOT.resolve("common").resolve(folder)).isDirectory();
		}
	}

	@Test
	void shouldServeTheJsonSchemaOfTheJobSpec() throws Exception {
		HttpResponse<String> answer = get("/v1/jobspec/schema", ALICE);

		assertThat(answer.statusCode()).isEqualTo(200);
		JsonNode schema = json(answer);
		assertThat(schema.get("properties").get("workload").get("enum").toString()).contains("ppo", "grpo", "sft",
				"nccl_check");
		assertThat(schema.get("properties")
			.get("trainer")
			.get("properties")
			.get("ppo_mini_batch_size")
			.get("type")
			.asString()).isEqualTo("integer");
		assertThat(schema.get("properties").get("overrides").get("items").get("type").asString()).isEqualTo("string");
		assertThat(schema.get("properties").get("data").get("properties").get("train_files").get("anyOf").toString())
			.as("one path or a list")
			.contains("\"string\"", "\"array\"");
		assertThat(schema.get("properties").get("verl_version").get("enum").toString()).contains("0.9", "0.8", "0.7",
				"0.6.1");
		assertThat(schema.get("additionalProperties").asBoolean()).isFalse();
	}

	/** A valid minimal PPO spec with some top-level fields replaced or added. */
	private static String spec(String change) {
		tools.jackson.databind.node.ObjectNode base = (tools.jackson.databind.node.ObjectNode) Json.mapper()
			.readTree(
					"{\"workload\": \"ppo\", \"resources\": {\"nnodes\": 1, \"n_gpus_per_node\": 4}, \"model\": {\"path\": \""
							+ ROOT + "/common/models/q\"}, \"data\": {\"train_files\": [\"" + ROOT
							+ "/common/datasets/d/train.parquet\"]}}");
		base.setAll((tools.jackson.databind.node.ObjectNode) Json.mapper().readTree("{" + change + "}"));
		return base.toString();
	}

	private static List<String> examples(String markdown) {
		Matcher m = Pattern.compile("<!-- example: [a-z_]+ -->\\s*```yaml\\n(.*?)```", Pattern.DOTALL)
			.matcher(markdown);
		List<String> examples = new ArrayList<>();
		while (m.find()) {
			examples.add(m.group(1));
		}
		return examples;
	}

	private static void createPathsOf(JobSpec spec) throws IOException {
		for (PathField field : PathField.of(spec)) {
			Path path = Path.of(field.value());
			if (path.getFileName().toString().contains(".")) {
				Files.createDirectories(path.getParent());
				String function = (spec.reward() != null && spec.reward().function() != null) ? spec.reward().function()
						: "compute_score";
				Files.writeString(path,
						field.field().equals("reward.path") ? "def " + function + "(**kw):\n    return 0\n" : "");
			}
			else {
				Files.createDirectories(path);
			}
		}
	}

}
