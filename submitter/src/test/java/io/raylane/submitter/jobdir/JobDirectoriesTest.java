package io.raylane.submitter.jobdir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.raylane.rayclient.wire.RayJobSubmitRequest;
import io.raylane.submitter.placement.PlacementShim;
import io.raylane.topics.Jobs;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.json.Json;
import io.raylane.topics.job.JobSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobDirectoriesTest {

	@TempDir
	Path root;

	JobDirectories directories() {
		return new JobDirectories(this.root, "http://127.0.0.1:8265");
	}

	SubmitToRay command(String jobDir) {
		JobSpec spec = Jobs.aJob("j1").command("echo 'hi'").spec();
		return new SubmitToRay(1, "j1", "alice", "default", spec, spec.command(), Map.of("env_vars", Map.of("A", "1")),
				Map.of("raylane-pool-default", 1.0), Map.of("raylane_job_id", "j1"), jobDir, List.of("n1"));
	}

	RayJobSubmitRequest request(SubmitToRay c) {
		return new RayJobSubmitRequest(c.entrypoint(), c.jobId(), c.runtimeEnv(), c.metadata(), null, null,
				c.entrypointResources());
	}

	@ParameterizedTest
	@ValueSource(strings = { "/etc", "jobs/../../outside", "{root}/jobs/../users/alice", "{root}/jobs",
			"{root}/jobs/..", "{root}/jobsx/j1", "{root}/jobs/j1/../../../etc" })
	void shouldRefuseAJobDirOutsideTheJobsRoot(String jobDir) {
		String dir = jobDir.replace("{root}", this.root.toString());

		assertThatThrownBy(() -> directories().locate("j1", dir)).isInstanceOf(JobDirRefusedException.class)
			.hasMessageContaining("outside the jobs root");
	}

	@Test
	void shouldAcceptAJobDirUnderTheJobsRootAndDefaultToJobsSlashId() throws Exception {
		assertThat(directories().locate("j1", this.root + "/jobs/./j1")).isEqualTo(this.root.resolve("jobs/j1"));
		assertThat(directories().locate("j1", null)).isEqualTo(this.root.resolve("jobs/j1"));
	}

	@Test
	void shouldRefuseASymlinkThatLeadsOutOfTheJobsRoot() throws Exception {
		Path outside = Files.createDirectories(this.root.resolve("elsewhere"));
		Files.createDirectories(this.root.resolve("jobs"));
		Files.createSymbolicLink(this.root.resolve("jobs/j1"), outside);

		assertThatThrownBy(() -> directories().writeSubmission(command(this.root + "/jobs/j1"), request(command(null))))
			.isInstanceOf(JobDirRefusedException.class);
		assertThat(outside).isEmptyDirectory();
	}

	@Test
	void shouldWriteTheJobDirectory() throws Exception {
		SubmitToRay command = command(this.root + "/jobs/j1");

		Path dir = directories().writeSubmission(command, request(command));

		assertThat(dir).isEqualTo(this.root.resolve("jobs/j1"));
		assertThat(dir.resolve("logs")).isEmptyDirectory();
		assertThat(dir.resolve("checkpoints")).isEmptyDirectory();
		assertThat(Json.yaml().readValue(Files.readString(dir.resolve("config/jobspec.yaml")), JobSpec.class))
			.isEqualTo(command.spec());
		assertThat(dir.resolve("config/runtime_env.json")).hasContent("{\"env_vars\":{\"A\":\"1\"}}");
		assertThat(dir.resolve("config/submit_cmd.txt"))
			.hasContent(SubmitCommand.of("http://127.0.0.1:8265", request(command)));
		assertThat(Files.readString(dir.resolve("config/jobspec.yaml"))).contains("command: \"echo 'hi'\"");
	}

	/**
	 * Issue 12: where jobs run as another OS user, the folders a job writes are that
	 * user's and the rest stays the submitter's. Changing owners needs root.
	 */
	@Test
	void shouldHandTheFoldersAJobWritesToTheJobsUser() throws Exception {
		org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
				"changing a folder's owner needs root");
		SubmitToRay command = command(null);

		Path dir = new JobDirectories(this.root, "http://127.0.0.1:8265",
				new JobDirectories.SecretsAccess("nobody", null))
			.writeSubmission(command, request(command));

		assertThat(Files.getOwner(dir.resolve("logs")).getName()).isEqualTo("nobody");
		assertThat(Files.getOwner(dir.resolve("checkpoints")).getName()).isEqualTo("nobody");
		assertThat(Files.getOwner(this.root.resolve("hf")).getName()).as("every job writes the shared HF cache")
			.isEqualTo("nobody");
		assertThat(Files.getOwner(dir.resolve("config")).getName()).isEqualTo("root");
		assertThat(Files.getOwner(dir.resolve("config/jobspec.yaml")).getName()).isEqualTo("root");
	}

	/** Issue 16 item 5: the jobs' default HF_HOME exists before the first job runs. */
	@Test
	void shouldCreateTheSharedHuggingFaceCacheWithTheFirstJobDirectory() throws Exception {
		SubmitToRay command = command(null);

		directories().writeSubmission(command, request(command));

		assertThat(directories().hfCache()).isEqualTo(this.root.resolve("hf"));
		assertThat(this.root.resolve("hf")).isEmptyDirectory();
	}

	@Test
	void shouldKeepWhatTheHuggingFaceCacheHolds() throws Exception {
		Path model = Files.createDirectories(this.root.resolve("hf/hub/models--Qwen--Qwen3-0.6B"));
		SubmitToRay command = command(null);

		directories().writeSubmission(command, request(command));

		assertThat(model).isDirectory();
	}

	@Test
	void shouldRefuseAHuggingFaceCacheThatIsALink() throws Exception {
		Path elsewhere = Files.createDirectories(this.root.resolve("elsewhere"));
		Files.createSymbolicLink(this.root.resolve("hf"), elsewhere);
		SubmitToRay command = command(null);

		assertThatThrownBy(() -> directories().writeSubmission(command, request(command)))
			.isInstanceOf(JobDirRefusedException.class)
			.hasMessageContaining("is a symbolic link");
		assertThat(elsewhere).isEmptyDirectory();
	}

	@Test
	void shouldRewriteIdenticalFilesOnRedelivery() throws Exception {
		SubmitToRay command = command(null);
		Path dir = directories().writeSubmission(command, request(command));
		byte[] first = Files.readAllBytes(dir.resolve("config/submit_cmd.txt"));

		directories().writeSubmission(command, request(command));

		assertThat(Files.readAllBytes(dir.resolve("config/submit_cmd.txt"))).isEqualTo(first);
		try (var files = Files.list(dir.resolve("config"))) {
			assertThat(files.map((f) -> f.getFileName().toString())).containsExactlyInAnyOrder("jobspec.yaml",
					"runtime_env.json", "submit_cmd.txt", "raylane_placement");
		}
		try (var files = Files.list(dir.resolve("config/raylane_placement"))) {
			assertThat(files.map((f) -> f.getFileName().toString())).as("the shim's folder holds the shim alone")
				.containsExactly("sitecustomize.py");
		}
		assertThat(dir.resolve("config/raylane_placement/sitecustomize.py")).hasContent(PlacementShim.script());
		assertThat(directories().placementShimDir(command.jobId(), null))
			.isEqualTo(dir.resolve("config/raylane_placement"));
	}

	@Test
	void shouldOverwriteTheDriverLog() throws Exception {
		directories().writeDriverLog("j1", null, "first");

		Path log = directories().writeDriverLog("j1", null, "second\n");

		assertThat(log).isEqualTo(this.root.resolve("jobs/j1/logs/driver.log")).hasContent("second");
	}

}
