package io.raylane.scheduler.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.raylane.topics.Jobs;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.WaitReason;
import io.raylane.topics.job.Resources;
import io.raylane.topics.node.NodeState;
import io.raylane.topics.node.NodeView;
import org.junit.jupiter.api.Test;

import static io.raylane.scheduler.topology.SchedulerDriver.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admission through the real topology: dispatch, waiting in FIFO order, rejection,
 * duplicates.
 */
class AdmissionTopologyTest extends TopologyTestSupport {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	@Test
	void shouldDispatchAJobThatFitsWithTheRaySubmission() {
		this.scheduler.node("n1", 4, true);

		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).env(Map.of("SEED", "7")).acceptedAt(T0).submit());

		JobView view = this.scheduler.job("rl-1");
		String jobDir = this.sharedRoot.toAbsolutePath().normalize().resolve("jobs").resolve("rl-1").toString();
		assertThat(view.status()).isEqualTo(JobStatus.DISPATCHED);
		assertThat(view.nodes()).containsExactly("n1");
		assertThat(view.dispatchedAt()).isEqualTo(NOW);
		assertThat(view.submittedAt()).isEqualTo(T0);
		assertThat(view.updatedAt()).isEqualTo(NOW);
		assertThat(view.jobDir()).isEqualTo(jobDir);
		assertThat(view.user()).isEqualTo("alice");
		assertThat(view.pool()).isEqualTo("default");
		assertThat(view.resources()).isEqualTo(Resources.of(1, 4));
		assertThat(view.reason()).isNull();
		assertThat(this.scheduler.jobViews).extracting(JobView::status).containsExactly(JobStatus.DISPATCHED);

		SubmitToRay submit = (SubmitToRay) this.scheduler.commandsFor("rl-1").get(0);
		assertThat(this.scheduler.commands).hasSize(1);
		assertThat(submit.entrypoint()).isEqualTo("echo hello from raylane");
		// issue 16 item 5: HF_HOME is the shared cache <root>/hf unless the job sets it
		String hf = this.sharedRoot.toAbsolutePath().normalize().resolve("hf").toString();
		assertThat(submit.runtimeEnv()).isEqualTo(Map.of("env_vars", Map.of("SEED", "7", "HF_HOME", hf)));
		assertThat(submit.entrypointResources()).isEqualTo(Map.of("raylane-pool-default", 1.0));
		assertThat(submit.metadata())
			.isEqualTo(Map.of("raylane_job_id", "rl-1", "raylane_user", "alice", "raylane_pool", "default",
					"raylane_workload", "command", "raylane_gpus", "4", "raylane_node_ips", "ip-of-n1"));
		assertThat(submit.jobDir()).isEqualTo(jobDir);
		assertThat(submit.nodes()).containsExactly("n1");
		assertThat(submit.user()).isEqualTo("alice");
		assertThat(submit.pool()).isEqualTo("default");
		assertThat(submit.spec()).isEqualTo(Jobs.aJob("rl-1").gang(1, 4).env(Map.of("SEED", "7")).spec());

		NodeView node = this.scheduler.nodeView("n1");
		assertThat(node.state()).isEqualTo(NodeState.ONLINE);
		assertThat(node.host()).isEqualTo("ip-of-n1");
		assertThat(node.gpus()).isEqualTo(4);
		assertThat(node.gpusAllocated()).isEqualTo(4);
		assertThat(node.jobs()).containsExactly("rl-1");
	}

	@Test
	void shouldAlwaysAskForThePoolResourceEvenWithoutGpusOrEnv() {
		this.scheduler.node("n1", 4, true);

		this.scheduler.submit(Jobs.aJob("rl-cpu").gang(1, 0).submit());

		SubmitToRay submit = (SubmitToRay) this.scheduler.commandsFor("rl-cpu").get(0);
		assertThat(submit.entrypointResources()).isEqualTo(Map.of("raylane-pool-default", 1.0));
		// only the shared Hugging Face cache (issue 16 item 5)
		assertThat(submit.runtimeEnv()).isEqualTo(Map.of("env_vars",
				Map.of("HF_HOME", this.sharedRoot.toAbsolutePath().normalize().resolve("hf").toString())));
	}

	/**
	 * Issue 16 item 6: a nccl_check runs between the nodes it was given, named by id and
	 * reached by the IPs the scheduler knows.
	 */
	@Test
	void shouldComposeTheNcclCheckBetweenTheNodesOfItsGang() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.node("n2", 4, true);

		this.scheduler.submit(Jobs.aJob("rl-nccl").workload("nccl_check").command(null).gang(2, 4).submit());

		SubmitToRay submit = (SubmitToRay) this.scheduler.commandsFor("rl-nccl").get(0);
		assertThat(submit.nodes()).containsExactlyInAnyOrder("n1", "n2");
		assertThat(submit.entrypoint()).contains(
				"echo 'raylane-nccl-check: pair' '" + submit.nodes().get(0) + "' '" + submit.nodes().get(1) + "'",
				"'-H' 'ip-of-" + submit.nodes().get(0) + ":4,ip-of-" + submit.nodes().get(1) + ":4'",
				"'all_reduce_perf'");
	}

	@Test
	void shouldHoldAGangBackWhileTheFirstJobHoldsANodeAndRunItWhenThatJobSucceeds() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.node("n2", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).acceptedAt(T0).submit());

		this.scheduler.submit(Jobs.aJob("rl-2").gang(2, 4).acceptedAt(T0.plusSeconds(1)).submit());

		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.DISPATCHED);
		assertThat(this.scheduler.job("rl-2").status()).isEqualTo(JobStatus.QUEUED);
		assertThat(this.scheduler.job("rl-2").reason()).isEqualTo("needs 2 nodes with 4 GPUs free; has 1 of 2");
		assertThat(this.scheduler.job("rl-2").position()).isEqualTo(1);
		// rl-1's timeout (10m) bounds when its GPUs come back
		assertThat(this.scheduler.job("rl-2").estimatedStart()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
		assertThat(this.scheduler.commandsFor("rl-2")).isEmpty();

		this.scheduler.observe("rl-1", "RUNNING", 1_767_225_700_000L, null, null, "Job is currently running.");
		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.RUNNING);
		assertThat(this.scheduler.job("rl-1").startedAt()).isEqualTo(Instant.ofEpochMilli(1_767_225_700_000L));
		assertThat(this.scheduler.job("rl-1").driverNodeIp()).isEqualTo("127.10.0.7");
		assertThat(this.scheduler.commandsFor("rl-2")).isEmpty();

		this.scheduler.observe("rl-1", "SUCCEEDED", 1_767_225_700_000L, 1_767_225_760_000L, 0,
				"Job finished successfully.");

		JobView first = this.scheduler.job("rl-1");
		assertThat(first.status()).isEqualTo(JobStatus.SUCCEEDED);
		assertThat(first.endedAt()).isEqualTo(Instant.ofEpochMilli(1_767_225_760_000L));
		assertThat(first.exitCode()).isZero();
		assertThat(first.reason()).isEqualTo("Job finished successfully.");
		assertThat(first.nodes()).isEmpty();
		JobView second = this.scheduler.job("rl-2");
		assertThat(second.status()).isEqualTo(JobStatus.DISPATCHED);
		assertThat(second.nodes()).containsExactlyInAnyOrder("n1", "n2");
		assertThat(this.scheduler.commandsFor("rl-2")).singleElement()
			.isInstanceOfSatisfying(SubmitToRay.class,
					(submit) -> assertThat(submit.nodes()).containsExactlyInAnyOrder("n1", "n2"));
		assertThat(List.of(this.scheduler.nodeView("n1"), this.scheduler.nodeView("n2")))
			.allSatisfy((node) -> assertThat(node.jobs()).containsExactly("rl-2"));
	}

	@Test
	void shouldGiveEveryWaitingJobItsPositionInFifoOrder() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).acceptedAt(T0).submit());
		this.scheduler.submit(Jobs.aJob("rl-2").gang(1, 4).acceptedAt(T0.plusSeconds(1)).submit());

		this.scheduler.submit(Jobs.aJob("rl-3").gang(1, 1).acceptedAt(T0.plusSeconds(2)).submit());

		assertThat(this.scheduler.job("rl-3").status()).isEqualTo(JobStatus.QUEUED);
		assertThat(this.scheduler.job("rl-2").position()).isEqualTo(1);
		assertThat(this.scheduler.job("rl-3").position()).isEqualTo(2);
		assertThat(this.scheduler.job("rl-3").reasons()).extracting(WaitReason::code)
			.containsExactly("insufficient_nodes");
		assertThat(this.scheduler.commandsFor("rl-3")).isEmpty();
	}

	@Test
	void shouldRejectAJobLargerThanItsPoolNamingThePoolSize() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.node("n2", 4, true);

		this.scheduler.submit(Jobs.aJob("rl-big").gang(3, 4).submit());

		JobView view = this.scheduler.job("rl-big");
		assertThat(view.status()).isEqualTo(JobStatus.REJECTED);
		assertThat(view.reason())
			.isEqualTo("needs 3 nodes with 4 free GPUs each; pool 'default' has 2 nodes with at least 4 GPUs");
		assertThat(view.endedAt()).isEqualTo(NOW);
		assertThat(this.scheduler.commands).isEmpty();
	}

	@Test
	void shouldWaitInAnEmptyPoolAndRunWhenANodeAppears() {
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 2).submit());
		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.QUEUED);
		assertThat(this.scheduler.job("rl-1").reason()).isEqualTo("pool 'default' has no nodes");

		this.scheduler.node("n1", 8, true);

		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.DISPATCHED);
		assertThat(this.scheduler.commandsFor("rl-1")).hasSize(1);
	}

	@Test
	void shouldRejectAnInvalidSpecWithItsProblem() {
		this.scheduler.node("n1", 4, true);

		this.scheduler.submit(Jobs.aJob("rl-bad").workload("ppo").submit());

		JobView view = this.scheduler.job("rl-bad");
		assertThat(view.status()).isEqualTo(JobStatus.REJECTED);
		assertThat(view.reason()).startsWith("invalid JobSpec: ").contains("model.path is required");
		assertThat(this.scheduler.commands).isEmpty();
	}

	@Test
	void shouldIgnoreADuplicateSubmitJob() {
		this.scheduler.node("n1", 8, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).submit());
		int viewsBefore = this.scheduler.jobViews.size();

		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).submit());

		assertThat(this.scheduler.commandsFor("rl-1")).hasSize(1);
		assertThat(this.scheduler.jobViews).hasSize(viewsBefore);
		assertThat(this.scheduler.nodeView("n1").gpusAllocated()).isEqualTo(4);
	}

}
