package io.raylane.api.jobs;

import java.util.HexFormat;

import io.raylane.api.errors.ApiException;
import io.raylane.topics.job.JobIds;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Idempotency keys (issue 12): the job id follows from the caller's digest of the key
 * alone, so any API instance, before or after a restart, finds the same job.
 */
class IdempotencyKeysTest {

	@Test
	void shouldDeriveAValidJobIdFromTheDigestAlone() {
		byte[] digest = HexFormat.of().parseHex("ffffffffffffffff" + "00".repeat(24));

		String id = IdempotencyKeys.jobId(digest);

		assertThat(id).isEqualTo("rl-777777777777").isEqualTo(IdempotencyKeys.jobId(digest.clone()));
		assertThat(JobIds.isValid(id)).isTrue();
		assertThat(IdempotencyKeys.jobId(new byte[32])).isEqualTo("rl-aaaaaaaaaaaa");
		assertThat(IdempotencyKeys.jobId(HexFormat.of().parseHex("0842" + "00".repeat(30))))
			.as("5 bits per character, from the top")
			.startsWith("rl-bbb");
	}

	@Test
	void shouldAcceptVisibleAsciiKeysAndRefuseOthersNamingTheHeader() {
		assertThat(IdempotencyKeys.of(null)).isEmpty();
		assertThat(IdempotencyKeys.of("8e0b7a52-3c1c-4a5e-9d3e-7f1b2c3d4e5f"))
			.hasValue("8e0b7a52-3c1c-4a5e-9d3e-7f1b2c3d4e5f");
		for (String bad : new String[] { "", "with space", "é", "x".repeat(256), "a\nb" }) {
			assertThatThrownBy(() -> IdempotencyKeys.of(bad)).isInstanceOfSatisfying(ApiException.class, (ex) -> {
				assertThat(ex.status().value()).isEqualTo(400);
				assertThat(ex.field()).isEqualTo("Idempotency-Key");
			});
		}
	}

}
