package io.raylane.api.jobs;

import java.util.HashSet;
import java.util.Set;

import io.raylane.topics.job.JobIds;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobIdGeneratorTest {

	@Test
	void shouldMakeIdsSafeAsPathSegmentAndRaySubmissionId() {
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			ids.add(JobIdGenerator.next());
		}

		assertThat(ids).hasSize(1000).allMatch((id) -> id.matches("rl-[a-z2-7]{12}"));
		assertThat(ids).allMatch(JobIds::isValid);
	}

}
