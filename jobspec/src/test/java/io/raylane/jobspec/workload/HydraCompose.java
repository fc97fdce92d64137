package io.raylane.jobspec.workload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.raylane.topics.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * Composes override lists with the real verl of a version, as verl does at start-up
 * ({@code verl-keys/compose_check.py} in that version's venv): one Python process for
 * many cases, since Hydra takes about two seconds per composition of verl 0.9's tree.
 */
final class HydraCompose {

	/** One command line to compose: {@code ppo} (PPO and GRPO) or {@code sft}. */
	record Case(String id, String workload, List<String> overrides, boolean dump) {

		static Case of(String id, boolean sft, List<String> overrides) {
			return new Case(id, sft ? "sft" : "ppo", overrides, false);
		}

		Case dumped() {
			return new Case(this.id, this.workload, this.overrides, true);
		}

	}

	/**
	 * What verl made of it: {@code error} is Hydra's message when it refused;
	 * {@code rewardPath} / {@code rewardName} the custom reward function verl would load
	 * (PPO); {@code config} every leaf of the started-up config when dumped.
	 */
	record Result(String id, boolean ok, String error, String rewardPath, String rewardName,
			Map<String, JsonNode> config) {
	}

	private HydraCompose() {
	}

	static Map<String, Result> run(VerlVersion version, List<Case> cases) {
		try {
			Path request = Files.createTempFile("verl-cases-", ".json");
			try {
				Files.writeString(request, Json.writeString(Map.of("cases", cases)));
				JsonNode answer = Json.mapper()
					.readTree(VerlVenvs.run(version, "compose_check.py", request.toString()));
				if (!answer.get("verl").asString().equals(version.label())) {
					throw new AssertionError("the venv holds verl " + answer.get("verl") + ", not " + version.label());
				}
				Map<String, Result> results = new LinkedHashMap<>();
				for (JsonNode r : answer.get("results")) {
					Map<String, JsonNode> config = new LinkedHashMap<>();
					if (r.get("config").isObject()) {
						r.get("config").properties().forEach((e) -> config.put(e.getKey(), e.getValue()));
					}
					JsonNode reward = r.get("reward");
					results.put(r.get("id").asString(),
							new Result(r.get("id").asString(), r.get("ok").asBoolean(), text(r.get("error")),
									reward.isObject() ? text(reward.get("path")) : null,
									reward.isObject() ? text(reward.get("name")) : null, config));
				}
				return results;
			}
			finally {
				Files.deleteIfExists(request);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String text(JsonNode node) {
		return (node == null || node.isNull()) ? null : node.asString();
	}

}
