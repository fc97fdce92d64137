package io.raylane.rayclient.wire;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ray 2.60's {@code GET /api/v0/logs/file} for driver logs as the imitations answer it:
 * each expected answer is one the real head gave (ray-cluster/FINDINGS.md §3; contract
 * cases of RayContractSuite).
 */
class LogFileRouteTest {

	static final String LOG = "Running entrypoint for job r1: x\nline 1\nline 2\nline 3\npartial";

	final LogFileRoute.Cluster cluster = new LogFileRoute.Cluster() {

		@Override
		public Optional<RayJobDetails> job(String submissionId) {
			return switch (submissionId) {
				case "r1" -> Optional.of(LogFileRouteTest.job("r1", "w1"));
				case "p1" -> Optional.of(LogFileRouteTest.job("p1", null));
				default -> Optional.empty();
			};
		}

		@Override
		public String log(String submissionId) {
			return LOG;
		}

		@Override
		public boolean hasNode(String nodeId) {
			return nodeId.equals("w1") || nodeId.equals("h");
		}

		@Override
		public Optional<String> nodeIdAt(String ip) {
			return ip.equals("169.254.1.11") ? Optional.of("w1") : Optional.empty();
		}

	};

	@Test
	void shouldServeTheLastLinesOfTheFileOnTheDriversNode() {
		LogFileRoute.Answer answer = answer(Map.of("node_id", "w1", "filename", "job-driver-r1.log", "lines", "2"));

		assertThat(answer).isEqualTo(new LogFileRoute.Answer(200, "line 3\npartial"));
		assertThat(answer.contentType()).isEqualTo("text/plain");
		assertThat(answer(Map.of("node_ip", "169.254.1.11", "filename", "job-driver-r1.log", "lines", "1")).body())
			.isEqualTo("partial");
		assertThat(answer(Map.of("submission_id", "r1", "node_id", "h", "lines", "-1")).body()).isEqualTo(LOG);
		assertThat(answer(Map.of("submission_id", "r1", "node_id", "anything", "lines", "0")).body())
			.as("0 is Ray's default of 1000 lines, and the submission's driver node wins")
			.isEqualTo(LOG);
	}

	@Test
	void shouldRefuseASubmissionIdWithoutANodeWithAiohttpsBarePage() {
		for (Map<String, String> query : java.util.List.of(Map.of("submission_id", "r1", "lines", "5"),
				Map.of("filename", "job-driver-r1.log"), Map.of("node_id", "w1", "lines", "5"),
				Map.of("node_id", "w1", "node_ip", "169.254.1.11", "submission_id", "r1"),
				Map.of("node_id", "w1", "submission_id", "r1", "lines", "many"),
				Map.of("node_id", "w1", "submission_id", "r1", "lines", ""))) {
			assertThat(answer(query)).as(query.toString())
				.isEqualTo(new LogFileRoute.Answer(500, LogFileRoute.SERVER_TROUBLE));
		}
	}

	@Test
	void shouldAnswerRaysReasonsWhenThereIsNoFile() {
		assertThat(answer(Map.of("submission_id", "nope", "node_id", "w1")))
			.isEqualTo(new LogFileRoute.Answer(500, LogTailAnswers.notFound("nope")));
		assertThat(answer(Map.of("submission_id", "p1", "node_id", "w1")))
			.isEqualTo(new LogFileRoute.Answer(500, LogTailAnswers.noDriverNode("p1")));
		assertThat(answer(Map.of("node_id", "w1", "filename", "job-driver-nope.log")))
			.isEqualTo(new LogFileRoute.Answer(500,
					"A file is not found at: /tmp/ray/session_latest/logs/job-driver-nope.log"));
		assertThat(answer(Map.of("node_id", "ffff", "filename", "job-driver-r1.log")))
			.isEqualTo(new LogFileRoute.Answer(500, "Agent for node id: ffff doesn't exist."));
		assertThat(answer(Map.of("node_ip", "169.254.1.99", "filename", "job-driver-r1.log")))
			.isEqualTo(new LogFileRoute.Answer(500, "Agent for node id: None doesn't exist."));
	}

	@Test
	void shouldNameTheDriverLogAsRayDoes() {
		assertThat(LogFileRoute.driverLogFile("rl-7f3c2a")).isEqualTo("job-driver-rl-7f3c2a.log");
		assertThat(LogFileRoute.tail("a\nb\n", -2)).isEmpty();
	}

	private LogFileRoute.Answer answer(Map<String, String> query) {
		return LogFileRoute.answer(query, this.cluster);
	}

	static RayJobDetails job(String id, String driverNodeId) {
		return new RayJobDetails("SUBMISSION", null, id, null, (driverNodeId != null) ? "RUNNING" : "PENDING", "x",
				null, null, 1L, null, Map.of(), Map.of(), null, driverNodeId, null);
	}

}
