package io.raylane.support.users;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class UsersFileTest {

	@TempDir
	Path dir;

	@Test
	void shouldReadEveryFieldOfEachEntryInFileOrder() throws IOException {
		UsersFile file = UsersFile.read(write("""
				users:
				  - {name: alice, token: "s3cret", roles: [user], gpu_quota: 8}
				  - {name: ops, token_sha256: "%s", roles: [admin]}
				""".formatted("a".repeat(64))));

		assertThat(file.users()).containsExactly(new UsersFile.Entry("alice", "s3cret", null, List.of("user"), 8),
				new UsersFile.Entry("ops", null, "a".repeat(64), List.of("admin"), null));
	}

	@Test
	void shouldReadTheNameOfAUsersOwnWandbKeyFile() throws IOException {
		UsersFile file = UsersFile.read(write("""
				users:
				  - {name: bob, token: "t", roles: [user], wandb_api_key_file: /etc/raylane/secrets/bob/wandb_api_key}
				"""));

		assertThat(file.users()).containsExactly(
				new UsersFile.Entry("bob", "t", null, List.of("user"), null, "/etc/raylane/secrets/bob/wandb_api_key"));
	}

	@Test
	void shouldRefuseAFieldItDoesNotKnowUnlessAskedToSkipIt() throws IOException {
		Path file = write("users: [{name: a, tokn: t, gpu_quota: 2}]");

		assertThatIllegalStateException().isThrownBy(() -> UsersFile.read(file))
			.withMessageContaining("users file " + file + " is unreadable")
			.withMessageContaining("tokn");
		assertThat(UsersFile.readKnownFields(file).users())
			.containsExactly(new UsersFile.Entry("a", null, null, null, 2));
	}

	@Test
	void shouldReadAFileWithoutUsersAsNoUsers() throws IOException {
		assertThat(UsersFile.read(write("users:\n")).users()).isEmpty();
		assertThat(UsersFile.readKnownFields(write("other: 1\n")).users()).isEmpty();
	}

	@Test
	void shouldNeverShowATokenInItsText() {
		assertThat(new UsersFile.Entry("alice", "s3cret", null, List.of("user"), 8)).asString()
			.contains("alice")
			.doesNotContain("s3cret");
	}

	private Path write(String yaml) throws IOException {
		return Files.writeString(this.dir.resolve("users.yaml"), yaml);
	}

}
