package io.raylane.nodeagent.provision;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.raylane.topics.node.NodeSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker recipe of the deployment guide (docs/deploy.md, the block after
 * {@code <!-- ray-start: worker -->}) is what the node-agent runs on a registered node:
 * its first arguments are {@link RayCommands#start}'s, and the rest are the pool
 * arguments the guide tells operators to configure. (ray-cluster's
 * DeployGuideCommandsTest holds the test fixture to the same block.)
 */
class RayCommandsDeployGuideTest {

	/** The arguments {@link RayCommands#start} builds, after {@code ray start}. */
	private static final int BUILT = 6;

	@Test
	void shouldBuildTheGuidesWorkerCommandWithThePoolArgumentsItShows() throws IOException {
		List<String> guide = new ArrayList<>();
		for (String word : workerCommand()) {
			guide.add(word.replace("<HEAD_IP>", "127.0.0.10")
				.replace("<NODE_IP>", "127.0.0.11")
				.replace("<GPUS>", "8")
				.replace("<POOL>", "a100")
				.replace("<NODE_ID>", "gpu-01"));
		}
		List<String> poolArgs = guide.subList(2 + BUILT, guide.size());
		RayCommands commands = new RayCommands(List.of("ray"), "127.0.0.10:6379", Map.of("a100", poolArgs), 8090);
		NodeSpec spec = new NodeSpec("gpu-01", "127.0.0.11", 22, "ray", "a100", Map.of(), 8, null);

		assertThat(commands.start(spec, InetAddress.getByName("127.0.0.11"))).isEqualTo(guide);
		assertThat(poolArgs).as("the guide's per-pool arguments").first().asString().startsWith("--num-cpus=");
	}

	/**
	 * The worker block of docs/deploy.md as shell words (no quoting but '…' is used
	 * there).
	 */
	private static List<String> workerCommand() throws IOException {
		Path guide = null;
		for (Path dir = Path.of("").toAbsolutePath(); dir != null && guide == null; dir = dir.getParent()) {
			if (Files.isRegularFile(dir.resolve("docs/deploy.md"))) {
				guide = dir.resolve("docs/deploy.md");
			}
		}
		assertThat(guide).as("docs/deploy.md above " + Path.of("").toAbsolutePath()).isNotNull();
		String text = Files.readString(guide, StandardCharsets.UTF_8);
		int marker = text.indexOf("<!-- ray-start: worker -->");
		assertThat(marker).as("the worker block's marker").isNotNegative();
		int start = text.indexOf('\n', text.indexOf("```", marker)) + 1;
		String block = text.substring(start, text.indexOf("\n```", start)).replace("\\\n", " ");
		List<String> words = new ArrayList<>();
		// the only quoting in the block is '…' around a value with a space (--resources)
		for (String part : block.trim().split("\\s+(?=(?:[^']*'[^']*')*[^']*$)")) {
			words.add(part.replace("'", ""));
		}
		return words;
	}

}
