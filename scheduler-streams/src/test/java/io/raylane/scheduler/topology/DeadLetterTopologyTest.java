package io.raylane.scheduler.topology;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.raylane.topics.Jobs;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.NodeObserved;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.json.Json;
import org.junit.jupiter.api.Test;

import static io.raylane.scheduler.topology.SchedulerDriver.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unreadable input becomes a dead letter inside the topology, and the next record is
 * still processed.
 */
class DeadLetterTopologyTest extends TopologyTestSupport {

	@Test
	void shouldDeadLetterGarbageOnJobCommandsAndCarryOn() {
		this.scheduler.pipeRaw(Topics.JOB_COMMANDS, "rl-x", "{not json".getBytes(StandardCharsets.UTF_8));

		this.scheduler.submit(Jobs.aJob("rl-1").submit());

		assertThat(this.scheduler.letters).singleElement().satisfies((letter) -> {
			assertThat(letter.topic()).isEqualTo("raylane.job-commands");
			assertThat(letter.partition()).isZero();
			assertThat(letter.offset()).isZero();
			assertThat(letter.key()).isEqualTo("rl-x");
			assertThat(letter.value()).isEqualTo("{not json");
			assertThat(letter.reason()).contains("unreadable JobCommand");
			assertThat(letter.consumer()).isEqualTo("raylane-scheduler");
			assertThat(letter.failedAt()).isEqualTo(NOW);
		});
		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.QUEUED);
	}

	@Test
	void shouldDeadLetterARecordWithoutItsPool() {
		NodeObserved poolless = new NodeObserved(1, "n1", "127.10.0.1", null, true, 4, Map.of(), NOW);

		this.scheduler.pipeRaw(Topics.NODE_EVENTS, "n1", Json.write(poolless));

		DeadLetter letter = this.scheduler.letters.get(0);
		assertThat(letter.topic()).isEqualTo("raylane.node-events");
		assertThat(letter.reason()).isEqualTo("record has no pool");
		assertThat(this.scheduler.nodeViews).isEmpty();
	}

	@Test
	void shouldDeadLetterBinaryGarbageAsBase64() {
		this.scheduler.pipeRaw(Topics.SUBMIT_RESULTS, "rl-1", new byte[] { (byte) 0xff, (byte) 0xfe, 0x00 });

		assertThat(this.scheduler.letters).singleElement().satisfies((letter) -> {
			assertThat(letter.topic()).isEqualTo("raylane.submit-results");
			assertThat(letter.valueEncoding()).isEqualTo("base64");
		});
	}

}
