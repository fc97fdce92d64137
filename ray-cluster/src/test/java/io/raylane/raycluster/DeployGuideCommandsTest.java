package io.raylane.raycluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The deployment guide's head and worker recipes (docs/deploy.md, issue 11 item 8) are
 * exactly what the test fixture runs: {@code cluster.sh print-commands} prints the argv
 * its {@code ray_start_args} gives every node, with the guide's placeholders.
 * RealRayClusterTest checks the same on a started cluster.
 */
class DeployGuideCommandsTest {

	@Test
	void shouldStartTheHeadWithTheGuidesCommand() throws Exception {
		assertThat(DeployGuide.command("head")).isEqualTo(printed().get("head"))
			.contains("--num-cpus=0", "--num-gpus=0", "--disable-usage-stats", "--metrics-export-port=8090");
	}

	@Test
	void shouldStartEachWorkerWithTheGuidesCommand() throws Exception {
		assertThat(DeployGuide.command("worker")).isEqualTo(printed().get("worker"))
			.contains("--resources={\"raylane-pool-<POOL>\": 1000}", "--node-ip-address=<NODE_IP>");
	}

	@Test
	void shouldSplitTheGuidesBlocksAsAShellWould() {
		assertThat(DeployGuide.words("ray start --a='{\"x\": 1}' \\\n    --b=\"q \\\"r\\\"\" c\\ d  'e'f\n"))
			.containsExactly("ray", "start", "--a={\"x\": 1}", "--b=q \"r\"", "c d", "ef");
		String markdown = "text\n<!-- ray-start: head -->\n```sh\nray start --head\n```\n";
		assertThat(DeployGuide.command(markdown, "head")).containsExactly("ray", "start", "--head");
		assertThatThrownBy(() -> DeployGuide.command(markdown, "worker")).hasMessageContaining("exactly one");
		assertThatThrownBy(() -> DeployGuide.words("'open")).hasMessageContaining("unterminated");
	}

	/** {@code cluster.sh print-commands}: argv by node kind. */
	private static Map<String, List<String>> printed() throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder("bash",
				RealRayPrerequisites.scripts().orElseThrow().resolve("cluster.sh").toString(), "print-commands")
			.redirectErrorStream(true);
		// the fixture's settings: cluster.sh's defaults, as RealRayCluster leaves its
		// ports
		builder.environment().keySet().removeIf((k) -> k.startsWith("RAYLANE_RAY_") || k.startsWith("RAY_"));
		Process process = builder.start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		Map<String, List<String>> commands = new LinkedHashMap<>();
		List<String> current = null;
		for (String line : output.lines().toList()) {
			if (line.startsWith("# ")) {
				current = new ArrayList<>();
				commands.put(line.substring(2), current);
			}
			else {
				current.add(line);
			}
		}
		assertThat(commands).containsOnlyKeys("head", "worker");
		return commands;
	}

}
