package io.raylane.scheduler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.raylane.scheduler.core.GpuQuotas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class QuotasFileTest {

	@TempDir
	Path dir;

	@Test
	void shouldReadEachUsersGpuQuotaAndFallBackToTheDefault() throws IOException {
		Path file = Files.writeString(this.dir.resolve("users.yaml"), """
				users:
				  - {name: alice, token: "s3cret", roles: [user], gpu_quota: 8}
				  - {name: bob, token_sha256: "%s", roles: [admin]}
				""".formatted("a".repeat(64)));

		GpuQuotas quotas = QuotasFile.load(file.toString(), 4);

		assertThat(quotas.limitOf("alice")).isEqualTo(8);
		assertThat(quotas.limitOf("bob")).isEqualTo(4);
	}

	@Test
	void shouldBeUnlimitedWithoutFileOrDefault() {
		GpuQuotas quotas = QuotasFile.load("", null);

		assertThat(quotas.limitOf("alice")).isNull();
	}

}
