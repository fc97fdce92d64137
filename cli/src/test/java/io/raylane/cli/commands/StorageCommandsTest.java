package io.raylane.cli.commands;

import java.nio.file.Path;

import io.raylane.cli.ExitCodes;
import io.raylane.cli.ScriptedApi;
import io.raylane.cli.ScriptedApi.Answer;
import io.raylane.cli.ScriptedApi.Run;
import io.raylane.cli.render.StorageViews;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code raylane ops cleanup} and {@code raylane storage} against a scripted API on
 * 127.0.0.1 (issue 16): the request each sends and what it prints.
 */
class StorageCommandsTest {

	static final String FREED = "{\"dry_run\": %s, \"bytes_freed\": 2048, \"jobs\": [{\"job_id\": \"rl-1\", "
			+ "\"bytes_freed\": 2048, \"deleted\": [\"checkpoints/global_step_1\"], "
			+ "\"kept\": [\"checkpoints/global_step_2\", \"logs\", \"config\"]}, {\"job_id\": \"rl-2\", "
			+ "\"bytes_freed\": 0, \"deleted\": [], \"kept\": [], \"refused\": \"job is RUNNING: only finished "
			+ "jobs are cleaned up\"}]}";

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
	void shouldSendADryRunCleanupWithEverySelectorAndPrintWhatItWouldFree() {
		this.api.on("POST /v1/ops/cleanup_job_artifacts", Answer.json(200, String.format(FREED, "true")));

		Run run = this.api.run(this.home, "ops", "cleanup", "--job", "rl-1", "--job", "rl-2", "--older-than", "14d",
				"--user", "alice", "--state", "FAILED", "--keep-last", "0", "--delete-logs", "--dry-run");

		assertThat(run.exitCode()).isZero();
		assertThat(this.api.requests()).singleElement()
			.satisfies((r) -> assertThat(r.body()).isEqualTo("{\"job_ids\":[\"rl-1\",\"rl-2\"],\"older_than\":\"14d\","
					+ "\"user\":\"alice\",\"states\":[\"FAILED\"],\"keep\":{\"last_checkpoints\":0,\"logs\":false},"
					+ "\"dry_run\":true}"));
		assertThat(run.out()).startsWith("DRY RUN: would free 2.0 KiB of 2 jobs (nothing was deleted)\n")
			.contains("WOULD FREE")
			.contains("checkpoints/global_step_1")
			.contains("left alone: job is RUNNING");
	}

	@Test
	void shouldSendARealCleanupWithTheDefaultsAndPrintWhatItFreed() {
		this.api.on("POST /v1/ops/cleanup_job_artifacts", Answer.json(200, String.format(FREED, "false")));

		Run run = this.api.run(this.home, "ops", "cleanup", "--older-than", "14d");

		assertThat(run.exitCode()).isZero();
		assertThat(this.api.requests().get(0).body()).isEqualTo("{\"older_than\":\"14d\",\"dry_run\":false}");
		assertThat(run.out()).startsWith("freed 2.0 KiB of 2 jobs\n");
	}

	@Test
	void shouldSayWhatTheApiRefusedAndShowOpsUsageAlone() {
		this.api.on("POST /v1/ops/cleanup_job_artifacts", Answer.json(403,
				"{\"error\": \"forbidden\", \"detail\": \"cleaning up job artifacts needs the admin role\"}"));

		Run refused = this.api.run(this.home, "ops", "cleanup", "--job", "rl-1");
		Run alone = this.api.run(this.home, "ops");

		assertThat(refused.exitCode()).isEqualTo(ExitCodes.REFUSED);
		assertThat(refused.err()).contains("admin role");
		assertThat(alone.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(alone.err()).contains("cleanup");
	}

	@Test
	void shouldPrintTheStorageByUserAndJob() {
		this.api.on("GET /v1/storage", Answer.json(200, "{\"as_of\": \"2026-12-03T01:00:00Z\", \"truncated\": false, "
				+ "\"file_system\": {\"size_bytes\": 4096, \"used_bytes\": 3072, \"free_bytes\": 1024}, "
				+ "\"common_bytes\": 512, \"other_bytes\": 0, \"users\": [{\"user\": \"alice\", \"bytes\": 2048, "
				+ "\"home_bytes\": 1024, \"jobs_bytes\": 1024}], \"jobs\": [{\"job_id\": \"rl-1\", \"user\": "
				+ "\"alice\", \"bytes\": 1024}]}"));

		Run run = this.api.run(this.home, "storage");

		assertThat(run.exitCode()).isZero();
		assertThat(run.out()).contains("shared storage: 3.0 KiB used of 4.0 KiB (75%), 1.0 KiB free")
			.contains("common/: 512 B")
			.contains("alice")
			.contains("rl-1");
	}

	@Test
	void shouldPrintBytesForPeople() {
		assertThat(StorageViews.bytes(0)).isEqualTo("0 B");
		assertThat(StorageViews.bytes(1536)).isEqualTo("1.5 KiB");
		assertThat(StorageViews.bytes(32L * 1024 * 1024 * 1024)).isEqualTo("32.0 GiB");
	}

}
