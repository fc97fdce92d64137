package io.raylane.submitter.dispatch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each user's own W&amp;B key before the shared one: named in the users file, then in the
 * secrets folder, then the global file.
 */
class WandbKeysTest {

	@TempDir
	Path dir;

	Path write(String relative, String text) throws IOException {
		Path file = this.dir.resolve(relative);
		Files.createDirectories(file.getParent());
		return Files.writeString(file, text);
	}

	WandbKeys keys() throws IOException {
		Path global = write("global.key", "key-global\n");
		Path bobs = write("elsewhere/bob.key", "key-bob\n");
		write("secrets/carol/wandb_api_key", "key-carol\n");
		write("secrets/bob/wandb_api_key", "key-bob-in-folder\n");
		Path users = write("users.yaml", """
				users:
				  - {name: bob, token: t1, roles: [user], wandb_api_key_file: %s}
				  - {name: carol, token: t2, roles: [user]}
				  - {name: dave, token: t3, roles: [user], wandb_api_key_file: %s}
				""".formatted(bobs, this.dir.resolve("missing.key")));
		return new WandbKeys(global, this.dir.resolve("secrets"), users);
	}

	@Test
	void shouldTakeTheFileTheUsersFileNamesFirst() throws IOException {
		WandbKeys.Lookup bob = keys().keyFor("bob");

		assertThat(bob.key()).isEqualTo("key-bob");
		assertThat(bob.source()).endsWith("elsewhere/bob.key");
	}

	@Test
	void shouldTakeTheUsersFileInTheSecretsFolderNext() throws IOException {
		assertThat(keys().keyFor("carol").key()).isEqualTo("key-carol");
	}

	@Test
	void shouldFallBackToTheGlobalKey() throws IOException {
		assertThat(keys().keyFor("erin").key()).isEqualTo("key-global");
		assertThat(keys().keyFor("../carol").key()).as("not a path segment: no folder lookup").isEqualTo("key-global");
	}

	@Test
	void shouldRefuseRatherThanUseAnotherKeyWhenTheNamedFileIsMissing() throws IOException {
		WandbKeys.Lookup dave = keys().keyFor("dave");

		assertThat(dave.found()).isFalse();
		assertThat(dave.problem()).contains("missing.key", "named for dave in the users file");
	}

	@Test
	void shouldSayWhereItLookedWhenThereIsNoKeyAtAll() {
		WandbKeys.Lookup none = new WandbKeys(null, this.dir.resolve("secrets"), null).keyFor("erin");

		assertThat(none.found()).isFalse();
		assertThat(none.problem()).contains("no W&B API key for erin", "secrets/erin/wandb_api_key",
				"raylane.submitter.wandb.api-key-file");
		assertThat(none.toString()).contains("problem=");
	}

	@Test
	void shouldReportAnUnreadableUsersFile() throws IOException {
		Path broken = write("broken.yaml", "users: [ {name: ");

		assertThat(new WandbKeys(null, null, broken).keyFor("bob").problem()).contains("cannot look up the W&B key");
	}

}
