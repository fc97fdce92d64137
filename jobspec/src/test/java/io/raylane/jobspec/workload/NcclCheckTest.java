package io.raylane.jobspec.workload;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.raylane.jobspec.JobSpecValidator;
import io.raylane.topics.Jobs;
import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.JobSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code nccl_check} workload (issue 16 item 6): which specs it accepts, which node
 * pairs it measures, and the shell command it composes, also run through a real
 * {@code /bin/sh} with a stand-in {@code mpirun} (a test fixture that prints its
 * arguments) to show that every value arrives intact and a failed pair fails the job.
 */
class NcclCheckTest {

	static JobSpec spec(int nodes, int gpus) {
		return Jobs.aJob("rl-nccl").workload("nccl_check").command(null).gang(nodes, gpus).spec();
	}

	static Stream<Arguments> validation() {
		return Stream.of(Arguments.of("two nodes of eight GPUs", spec(2, 8), List.of()),
				Arguments.of("a ring of 64 nodes", spec(64, 8), List.of()),
				Arguments.of("one node has no link to measure", spec(1, 8), List.of("resources.nnodes")),
				Arguments.of("65 nodes: the log would be too long to read", spec(65, 8), List.of("resources.nnodes")),
				Arguments.of("no GPU: nothing to all-reduce", spec(2, 0), List.of("resources.n_gpus_per_node")),
				Arguments.of("a command belongs to workload command",
						Jobs.aJob("rl-nccl").workload("nccl_check").command("echo hi").gang(2, 8).spec(),
						List.of("command")),
				Arguments.of("verl fields belong to verl workloads",
						Jobs.aJob("rl-nccl").workload("nccl_check").command(null).gang(2, 8).spec().withResumeStep(3),
						List.of("resume_step")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void validation(String scenario, JobSpec spec, List<String> wantFields) {
		assertThat(JobSpecValidator.validate(spec)).extracting(FieldError::field)
			.containsExactlyInAnyOrderElementsOf(wantFields);
	}

	static Stream<Arguments> pairs() {
		return Stream.of(Arguments.of("two nodes: one pair", 2, List.of("0-1")),
				Arguments.of("three nodes: a ring, each node twice", 3, List.of("0-1", "1-2", "2-0")),
				Arguments.of("four nodes: four pairs, not six", 4, List.of("0-1", "1-2", "2-3", "3-0")),
				Arguments.of("one node: none", 1, List.of()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void pairs(String scenario, int nodes, List<String> wantPairs) {
		assertThat(NcclCheck.pairs(nodes).stream().map((p) -> p[0] + "-" + p[1])).containsExactlyElementsOf(wantPairs);
	}

	@Test
	void shouldComposeOneQuotedMpirunPerPairExportingTheJobsEnvironment() {
		ComposeContext ctx = new ComposeContext("rl-nccl", "/shared/jobs/rl-nccl", "ops",
				Map.of("NCCL_IB_HCA", "mlx5_0,mlx5_1"), "/shared/hf", List.of("gpu-a", "gpu-b"),
				List.of("10.0.0.1", "10.0.0.2"));

		Composition composition = WorkloadComposer.compose(spec(2, 8), ctx);

		assertThat(composition.entrypoint()).isEqualTo("rc=0; echo 'raylane-nccl-check: pair' 'gpu-a' 'gpu-b'; "
				+ "'mpirun' '-np' '16' '-H' '10.0.0.1:8,10.0.0.2:8' '--bind-to' 'none' '-x' 'PATH' '-x' "
				+ "'LD_LIBRARY_PATH' '-x' 'HF_HOME' '-x' 'NCCL_IB_HCA' 'all_reduce_perf' '-b' '8M' '-e' '4G' '-f' '2' "
				+ "'-g' '1'; s=$?; echo 'raylane-nccl-check: exit' \"$s\"; [ \"$s\" -eq 0 ] || rc=1; exit \"$rc\"");
		assertThat(composition.runtimeEnv())
			.isEqualTo(Map.of("env_vars", Map.of("HF_HOME", "/shared/hf", "NCCL_IB_HCA", "mlx5_0,mlx5_1")));
		assertThat(composition.overrides()).isEmpty();
		assertThat(composition.entrypointNumGpus()).isNull();
	}

	static Stream<Arguments> unknownAddresses() {
		return Stream.of(Arguments.of("no gang yet (the size check before dispatch)", List.of(), List.of()),
				Arguments.of("a node whose IP the scheduler does not know", List.of("a", "b"), List.of("10.0.0.1", "")),
				Arguments.of("fewer IPs than nodes", List.of("a", "b"), List.of("10.0.0.1")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void unknownAddresses(String scenario, List<String> nodes, List<String> ips) {
		ComposeContext ctx = new ComposeContext("rl-nccl", "/shared/jobs/rl-nccl", "ops", Map.of(), null, nodes, ips);

		assertThat(WorkloadComposer.compose(spec(2, 8), ctx).entrypoint())
			.isEqualTo("echo 'raylane-nccl-check: the addresses of the job'\\''s 2 nodes are unknown; nothing measured'"
					+ " >&2; exit 2");
	}

	/**
	 * The composed command in a real shell, with a stand-in {@code mpirun} first on PATH:
	 * node ids and variables with shell characters arrive as one argument each, every
	 * pair runs, and the second pair's failure makes the job fail.
	 */
	@Test
	void shouldRunEveryPairInARealShellAndFailWhenOnePairFails(@TempDir Path dir) throws Exception {
		Path bin = Files.createDirectories(dir.resolve("bin"));
		Path fixture = bin.resolve("mpirun");
		// the fixture: prints its arguments, fails for the pair holding 10.0.0.3
		Files.writeString(fixture, """
				#!/bin/sh
				for a in "$@"; do echo "arg:$a"; done
				case "$*" in *10.0.0.3:*) exit 7;; esac
				""");
		Files.setPosixFilePermissions(fixture, PosixFilePermissions.fromString("rwxr-xr-x"));
		List<String> nodes = List.of("gpu-a", "gpu-$(touch b)", "gpu 'c'");
		ComposeContext ctx = new ComposeContext("rl-nccl", "/shared/jobs/rl-nccl", "ops", Map.of(), null, nodes,
				List.of("10.0.0.1", "10.0.0.2", "10.0.0.3"));
		String entrypoint = WorkloadComposer.compose(spec(3, 2), ctx).entrypoint();

		ProcessBuilder sh = new ProcessBuilder("/bin/sh", "-c", entrypoint).directory(dir.toFile())
			.redirectErrorStream(true);
		sh.environment().put("PATH", bin + ":" + System.getenv("PATH"));
		Process process = sh.start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

		assertThat(process.exitValue()).as(out).isEqualTo(1);
		assertThat(out.lines().filter((l) -> l.startsWith("raylane-nccl-check:"))).containsExactly(
				"raylane-nccl-check: pair gpu-a gpu-$(touch b)", "raylane-nccl-check: exit 0",
				"raylane-nccl-check: pair gpu-$(touch b) gpu 'c'", "raylane-nccl-check: exit 7",
				"raylane-nccl-check: pair gpu 'c' gpu-a", "raylane-nccl-check: exit 7");
		assertThat(out).contains("arg:10.0.0.2:2,10.0.0.3:2\n", "arg:all_reduce_perf\n");
		assertThat(dir.resolve("b")).doesNotExist();
	}

}
