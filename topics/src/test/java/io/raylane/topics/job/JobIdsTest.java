package io.raylane.topics.job;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one job id format: what the api generates and any other producer may send. */
class JobIdsTest {

	@Test
	void shouldAcceptIdsThatAreSafeAsPathSegmentsAndRaySubmissionIds() {
		assertThat(JobIds.problem("rl-abcdefgh2345")).isNull();
		assertThat(JobIds.problem("a")).isNull();
		assertThat(JobIds.problem("Job_1.v2-x")).isNull();
		assertThat(JobIds.problem("a".repeat(128))).isNull();
	}

	@Test
	void shouldRefuseIdsThatCouldEscapeTheJobsDirectoryOrConfuseAShell() {
		for (String bad : new String[] { null, "", "..", "../x", "-rm", ".hidden", "a/b", "a b", "$(x)", "a;b",
				"a".repeat(129) }) {
			assertThat(JobIds.isValid(bad)).as(bad).isFalse();
			assertThat(JobIds.problem(bad)).as(bad).startsWith("invalid job id");
		}
	}

}
