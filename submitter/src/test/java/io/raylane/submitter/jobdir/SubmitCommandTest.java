package io.raylane.submitter.jobdir;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.raylane.jobspec.workload.RealShell;
import io.raylane.rayclient.wire.RayJobSubmitRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SubmitCommandTest {

	static RayJobSubmitRequest request() {
		Map<String, Object> env = new LinkedHashMap<>();
		env.put("PYTHONPATH", "/mnt/shared/users/ana/code/v12:${PYTHONPATH}");
		env.put("GREETING", "it's $(not) run");
		return new RayJobSubmitRequest("python3 -m verl.trainer.main_ppo trainer.total_epochs=2 && echo 'done'",
				"j-7f3c", Map.of("env_vars", env),
				Map.of("raylane_user", "ana", "raylane_pool", "a100", "raylane_job_id", "j-7f3c"), null, null,
				Map.of("raylane-pool-a100", 1.0));
	}

	@Test
	void shouldMatchTheGoldenCommandLine() throws Exception {
		String golden = new String(getClass().getResourceAsStream("/golden/submit_cmd.txt").readAllBytes(),
				StandardCharsets.UTF_8);

		assertThat(SubmitCommand.of("http://127.10.3.2:8265", request()) + "\n").isEqualTo(golden);
	}

	@Test
	void shouldPassEveryValueAsOneLiteralArgument() throws Exception {
		String line = SubmitCommand.of("http://127.10.3.2:8265", request());
		// replace the program by a printer of its arguments, one per line, and let a real
		// shell parse the line
		String args = RealShell.run("ray() { for a in \"$@\"; do printf '%s\\n' \"$a\"; done; }; " + line);

		assertThat(args.split("\n")).containsExactly("job", "submit", "--address=http://127.10.3.2:8265",
				"--submission-id=j-7f3c",
				"--runtime-env-json={\"env_vars\":{\"GREETING\":\"it's $(not) run\",\"PYTHONPATH\":\"/mnt/shared/users/ana/code/v12:${PYTHONPATH}\"}}",
				"--entrypoint-resources={\"raylane-pool-a100\":1.0}",
				"--metadata-json={\"raylane_job_id\":\"j-7f3c\",\"raylane_pool\":\"a100\",\"raylane_user\":\"ana\"}",
				"--no-wait", "--", "python3 -m verl.trainer.main_ppo trainer.total_epochs=2 && echo 'done'");
	}

	@Test
	void shouldWriteMissingMapsAsEmptyJson() {
		String line = SubmitCommand.of("http://h:8265",
				new RayJobSubmitRequest("true", "j1", null, null, null, null, null));

		assertThat(line)
			.isEqualTo("ray job submit --address='http://h:8265' --submission-id='j1' --runtime-env-json='{}'"
					+ " --entrypoint-resources='{}' --metadata-json='{}' --no-wait -- 'true'");
	}

}
