package io.raylane.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 item 6 on the local stack: a {@code nccl_check} job on the two workers of the
 * local Ray head runs its composed entrypoint, whose {@code mpirun} is a TEST FIXTURE
 * (src/test/resources/fixtures/mpirun-fixture, first on the job's {@code PATH}) printing
 * a real two-node {@code all_reduce_perf} output (observer's
 * nccl-tests-fixtures/h100-2x8-all_reduce_perf.txt, source in its README); the observer
 * reads the driver log and the job view on the API shows the bus bandwidth of the pair.
 * Every job's runtime_env names the shared Hugging Face cache, which exists (item 5).
 */
@Tag("slow")
class NcclCheckEndToEndTest {

	static final Path OUTPUT = Path
		.of("../observer/src/test/resources/nccl-tests-fixtures/h100-2x8-all_reduce_perf.txt");

	@TempDir
	static Path root;

	@AutoClose
	static LocalStack stack;

	static RaylaneClient ops;

	static Path fixture;

	@BeforeAll
	static void startStack() throws Exception {
		stack = LocalStack.start(LocalStackSettings.forTest(root));
		ops = new RaylaneClient(stack.apiUrl(), RaylaneClient.devTokens(stack.settings().dataDir()).get("alice"));
		// readable and runnable by the OS user jobs run as (nobody, when the test runs as
		// root)
		fixture = Files.createDirectories(stack.settings().sharedRoot().resolve("common/code/nccl-check/bin"));
		Files.copy(Path.of("src/test/resources/fixtures/mpirun-fixture/mpirun"), fixture.resolve("mpirun"));
		Files.copy(OUTPUT, fixture.resolve("all_reduce_perf-output.txt"));
		Files.setPosixFilePermissions(fixture.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
		Files.setPosixFilePermissions(fixture, PosixFilePermissions.fromString("rwxr-xr-x"));
		Files.setPosixFilePermissions(fixture.resolve("mpirun"), PosixFilePermissions.fromString("rwxr-xr-x"));
		Files.setPosixFilePermissions(fixture.resolve("all_reduce_perf-output.txt"),
				PosixFilePermissions.fromString("rw-r--r--"));
		ops.awaitHealthy();
	}

	@Test
	void shouldShowTheBusBandwidthOfEachPairInTheJobView() throws Exception {
		String id = ops.submitYaml("""
				name: ib-check
				workload: nccl_check
				resources: {nnodes: 2, n_gpus_per_node: 1}
				timeout: 5m
				env: {PATH: "%s:${PATH}", NCCL_DEBUG: WARN}
				""".formatted(fixture));

		JsonNode ended = ops.awaitStatus(id, Duration.ofSeconds(90), "SUCCEEDED", "FAILED");
		assertThat(ended.path("status").asText()).as(ended.toString()).isEqualTo("SUCCEEDED");
		JsonNode job = org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> ops.job(id), (j) -> j.path("nccl_bandwidth").size() == 1);

		JsonNode pair = job.path("nccl_bandwidth").get(0);
		assertThat(pair.path("nodes").size()).isEqualTo(2);
		assertThat(pair.path("nodes").get(0).asText()).isNotEqualTo(pair.path("nodes").get(1).asText());
		assertThat(pair.path("busbw_gb_per_s").asDouble()).isEqualTo(338.82);
		assertThat(pair.path("size_bytes").asLong()).isEqualTo(8589934592L);
		assertThat(pair.path("avg_busbw_gb_per_s").asDouble()).isEqualTo(70.742);
		assertThat(pair.path("out_of_bounds").asInt()).isZero();
		assertThat(pair.path("exit_code").asInt()).isZero();
		// mpirun was asked for one rank per GPU on both nodes, the pool's and job's
		// variables exported to them
		String args = Files.readString(fixture.getParent().resolve("mpirun-args.txt"));
		assertThat(args).contains("-np\n2\n-H\n", "\n-x\nNCCL_DEBUG\n", "\n-x\nHF_HOME\n", "\nall_reduce_perf\n");
		// the shared Hugging Face cache exists and every job's runtime_env names it
		Path hf = stack.settings().sharedRoot().toAbsolutePath().normalize().resolve("hf");
		assertThat(hf).isDirectory();
		assertThat(Files
			.readString(stack.settings().sharedRoot().resolve("jobs").resolve(id).resolve("config/runtime_env.json")))
			.contains("\"HF_HOME\":\"" + hf + "\"");
	}

}
