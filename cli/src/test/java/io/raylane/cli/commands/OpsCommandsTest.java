package io.raylane.cli.commands;

import java.nio.file.Path;

import io.raylane.cli.ExitCodes;
import io.raylane.cli.ScriptedApi;
import io.raylane.cli.ScriptedApi.Answer;
import io.raylane.cli.ScriptedApi.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code raylane ops}: each subcommand's request body and what it prints, against a
 * scripted API.
 */
class OpsCommandsTest {

	@TempDir
	Path home;

	private ScriptedApi api;

	@BeforeEach
	void start() throws Exception {
		this.api = new ScriptedApi();
	}

	@AfterEach
	void stop() {
		this.api.close();
	}

	@Test
	void shouldDrainANodeWithDeadlineReasonAndDryRun() {
		this.api.on("POST /v1/ops/drain_node", Answer
			.json(200, "{\"node_id\": \"gpu-01\", \"dry_run\": true, \"state\": \"ONLINE\", \"deadline\": "
					+ "\"2026-12-03T02:00:00Z\", \"reason\": \"NIC\", \"changed\": false, \"jobs\": "
					+ "[{\"job_id\": \"rl-1\", \"user\": \"alice\", \"status\": \"RUNNING\", \"action\": \"stop\"}]}"));

		Run run = this.api.run(this.home, "ops", "drain-node", "gpu-01", "--deadline", "2026-12-03T02:00:00Z",
				"--reason", "NIC", "--dry-run");

		assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
		assertThat(run.out()).isEqualTo("gpu-01: would drain (state ONLINE), jobs still running are stopped at "
				+ "2026-12-03T02:00:00Z\n  rl-1  alice  RUNNING  stop\n");
		assertThat(this.api.requests()).singleElement()
			.satisfies((r) -> assertThat(r.body()).isEqualTo("{\"node_id\":\"gpu-01\",\"deadline\":"
					+ "\"2026-12-03T02:00:00Z\",\"reason\":\"NIC\",\"dry_run\":true}"));
	}

	@Test
	void shouldRestartTheHeadAndFollowTheOperationUntilItEnded() {
		String running = "{\"operation_id\": \"op-1\", \"status\": \"running\", \"head_node_id\": \"head-1\", "
				+ "\"jobs\": [{\"job_id\": \"rl-1\", \"user\": \"alice\", \"status\": \"RUNNING\", \"action\": \"end\"}], "
				+ "\"workers\": [{\"node_id\": \"gpu-01\", \"action\": \"reprovision\", \"started\": null}]}";
		String done = running.replace("\"running\"", "\"succeeded\"").replace("null}", "true}");
		this.api.on("POST /v1/ops/restart_ray_head", Answer.json(202, running))
			.on("GET /v1/ops/operations/op-1", Answer.json(200, running), Answer.json(200, done));

		Run run = this.api.run(this.home, "ops", "restart-ray-head", "--force", "--poll", "1");

		assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
		assertThat(run.out()).isEqualTo("head head-1: succeeded (operation op-1)\n  rl-1  alice  RUNNING  end\n"
				+ "  worker gpu-01  reprovision  joined\n");
		assertThat(this.api.requests()).first().satisfies((r) -> assertThat(r.body()).isEqualTo("{\"force\":true}"));
	}

	@Test
	void shouldExitRefusedWhenJobsRunWithoutForce() {
		this.api.on("POST /v1/ops/restart_ray_head", Answer.json(409, "{\"error\": \"jobs_running\", \"field\": "
				+ "\"force\", \"detail\": \"Raylane jobs run on Ray: rl-1; they would end with the restart\"}"));

		Run run = this.api.run(this.home, "ops", "restart-ray-head");

		assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
		assertThat(run.err()).contains("rl-1");
	}

}
