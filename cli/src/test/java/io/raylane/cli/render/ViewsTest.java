package io.raylane.cli.render;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The API's JSON (docs/api.md's examples) rendered for people. */
class ViewsTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void shouldListJobsWithTheirGangAndProgressOrReason() {
		JsonNode jobs = JSON.readTree("""
				[{"job_id": "rl-1", "name": "ppo", "user": "alice", "status": "RUNNING", "pool": "a100",
				  "resources": {"nnodes": 2, "n_gpus_per_node": 8}, "submitted_at": "2026-11-29T01:00:00Z",
				  "progress": {"step": 12, "total_steps": 200}},
				 {"job_id": "rl-2", "name": "hello", "user": "alice", "status": "QUEUED", "pool": "default",
				  "resources": {"nnodes": 1, "n_gpus_per_node": 0}, "submitted_at": "2026-11-29T01:00:01Z",
				  "reason": "waiting for 8 free GPUs"}]
				""");

		assertThat(Views.jobs(jobs).lines()).containsExactly(
				"JOB   NAME   USER   STATUS   POOL     GANG  SUBMITTED             PROGRESS/REASON",
				"rl-1  ppo    alice  RUNNING  a100     2x8   2026-11-29T01:00:00Z  12/200",
				"rl-2  hello  alice  QUEUED   default  1x0   2026-11-29T01:00:01Z  waiting for 8 free GPUs");
	}

	@Test
	void shouldShowEveryReasonAndTheEstimatedStartOfAQueue() {
		JsonNode queue = JSON.readTree("""
				[{"job_id": "rl-9", "position": 1, "name": null, "user": null, "mine": false,
				  "resources": {"nnodes": 1, "n_gpus_per_node": 4}, "submitted_at": "2026-11-29T01:00:00Z",
				  "reason": "r", "estimated_start": "2026-11-29T02:00:00Z",
				  "reasons": [{"code": "insufficient_gpus", "detail": "needs 4, 2 free"},
				              {"code": "user_quota", "detail": "its owner holds 8 of 8"}]}]
				""");

		String table = Views.queue(queue);

		assertThat(table)
			.startsWith("POS  JOB   NAME  USER  GANG  SUBMITTED             EST. START            REASONS");
		assertThat(table).contains(
				"1    rl-9  -     -     1x4   2026-11-29T01:00:00Z  2026-11-29T02:00:00Z  insufficient_gpus (needs 4, 2 free); user_quota (its owner holds 8 of 8)");
	}

	@Test
	void shouldSumUsageByGroupWithATotal() {
		JsonNode usage = JSON.readTree("""
				{"group_by": "user", "from": "2026-11-01T00:00:00Z", "to": "2026-11-02T00:00:00Z",
				 "as_of": "2026-11-29T03:40:00Z", "total_gpu_seconds": 1900.0, "total_gpu_hours": 0.5277777777777778,
				 "records": 3, "groups": [{"key": "alice", "gpu_seconds": 1900.0, "gpu_hours": 0.5277777777777778,
				 "jobs": 2, "records": 3, "avg_gpu_utilization": 66.67}]}
				""");

		assertThat(Views.usage(usage).lines()).containsExactly(
				"from 2026-11-01T00:00:00Z to 2026-11-02T00:00:00Z (as of 2026-11-29T03:40:00Z)",
				"USER   GPU-HOURS  GPU-SECONDS  JOBS  RECORDS  AVG GPU UTIL %",
				"alice  0.528      1900.0       2     3        66.67",
				"TOTAL  0.528      1900.0       -     3        -");
	}

	@Test
	void shouldDescribeOneJobWithItsFailureDiagnosis() {
		JsonNode job = JSON.readTree(
				"""
						{"job_id": "rl-3", "name": "grpo", "status": "FAILED", "reason": "exit 1",
						 "resources": {"nnodes": 1, "n_gpus_per_node": 8}, "progress": {"step": 3, "total_steps": 6},
						 "failure": {"category": "nccl", "evidence": ["NCCL error: unhandled system error"], "hint": "check IB"}}
						""");

		assertThat(Views.job(job)).contains("job: rl-3\n", "status: FAILED\n", "gang: 1x8\n",
				"progress: [###############...............]  3/6   50%  FAILED\n", "failure: nccl\n",
				"evidence: NCCL error: unhandled system error\n", "hint: check IB\n");
	}

	@Test
	void shouldListNodesWithTheirGpusInUse() {
		JsonNode nodes = JSON.readTree("""
				[{"node_id": "gpu-01", "pool": "a100", "host": "127.0.0.2", "state": "ONLINE", "gpus": 8,
				  "gpus_allocated": 4, "jobs": ["rl-1"], "reason": null}]
				""");

		assertThat(Views.nodes(nodes).lines()).containsExactly(
				"NODE    POOL  HOST       STATE   GPUS USED  JOBS  REASON",
				"gpu-01  a100  127.0.0.2  ONLINE  4/8        1     -");
	}

	@Test
	void shouldKnowTheTerminalStatuses() {
		assertThat(Views.isTerminal("SUCCEEDED")).isTrue();
		assertThat(Views.isTerminal("TIMED_OUT")).isTrue();
		assertThat(Views.isTerminal("RUNNING")).isFalse();
		assertThat(Views.isTerminal(null)).isFalse();
	}

}
