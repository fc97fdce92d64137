package io.raylane.api.queue;

import java.time.Instant;
import java.util.List;

import io.raylane.api.security.Caller;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.Resources;
import io.raylane.topics.job.WaitReason;
import io.raylane.topics.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue as each caller sees it: other users' jobs without their owner's name, also
 * inside the reasons (issue 12).
 */
class QueueResponseTest {

	static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	final JobView alices = JobView.builder()
		.jobId("rl-a1")
		.name("alice-secret-run")
		.user("alice")
		.pool("default")
		.status(JobStatus.QUEUED)
		.resources(Resources.of(1, 4))
		.submittedAt(T0)
		.reason("alice holds 8 of 8 GPUs (quota); alice.b and malice stay")
		.reasons(List.of(new WaitReason("quota", "alice holds 8 of 8 GPUs (quota)"),
				new WaitReason("reservation", "held for the reservation of job rl-alice-7")))
		.build();

	@Test
	void shouldNotNameAnotherUserAnywhereInTheirQueuedJob() {
		QueueResponse forBob = QueueResponse.of("default", List.of(this.alices), new Caller("bob", false));

		String body = Json.writeString(forBob);
		QueueResponse.QueuedJob job = forBob.jobs().get(0);
		assertThat(job.user()).isNull();
		assertThat(job.name()).isNull();
		assertThat(job.reasons()).extracting(WaitReason::detail)
			.containsExactly("its owner holds 8 of 8 GPUs (quota)", "held for the reservation of job rl-alice-7");
		assertThat(job.reason()).isEqualTo("its owner holds 8 of 8 GPUs (quota); alice.b and malice stay");
		assertThat(body.replace("rl-alice-7", "").replace("alice.b", "").replace("malice", "")).doesNotContain("alice");
	}

	@Test
	void shouldShowTheOwnerAndAnAdminEverything() {
		for (Caller caller : List.of(new Caller("alice", false), new Caller("root", true))) {
			QueueResponse.QueuedJob job = QueueResponse.of("default", List.of(this.alices), caller).jobs().get(0);

			assertThat(job.user()).isEqualTo("alice");
			assertThat(job.reasons()).isEqualTo(this.alices.reasons());
			assertThat(job.reason()).isEqualTo(this.alices.reason());
		}
	}

}
