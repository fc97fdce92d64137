package io.raylane.api.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;

import io.raylane.support.RaylaneSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class UsersLoaderTest {

	@TempDir
	Path dir;

	@Test
	void shouldAuthenticateUsersByTokenAndByTokenHash() throws IOException {
		String opsHash = HexFormat.of().formatHex(UserDirectory.sha256("ops-token"));
		UserDirectory users = load("""
				users:
				  - {name: alice, token: "alice-token-0123456789abcd", roles: [user]}
				  - {name: ops, token_sha256: "%s", roles: [admin]}
				""".formatted(opsHash.toUpperCase()));

		assertThat(users.authenticate("alice-token-0123456789abcd")).get().extracting(ApiUser::name).isEqualTo("alice");
		assertThat(users.authenticate("ops-token")).get()
			.satisfies((ops) -> assertThat(ops.name()).isEqualTo("ops"))
			.satisfies((ops) -> assertThat(ops.roles()).containsExactly(Role.ADMIN));
		assertThat(users.authenticate("nobody")).isEmpty();
		assertThat(users.authenticate("")).isEmpty();
	}

	@Test
	void shouldAcceptTheSchedulersGpuQuotaField() throws IOException {
		UserDirectory users = load("users: [{name: carol, token: t-0123456789abcdefghijklm, gpu_quota: 8}]");

		assertThat(users.authenticate("t-0123456789abcdefghijklm")).get().extracting(ApiUser::name).isEqualTo("carol");
	}

	@Test
	void shouldGiveTheUserRoleWhenNoneIsListed() throws IOException {
		UserDirectory users = load("users: [{name: carol, token: t-0123456789abcdefghijklm}]");

		assertThat(users.authenticate("t-0123456789abcdefghijklm")).get()
			.extracting(ApiUser::roles)
			.isEqualTo(java.util.Set.of(Role.USER));
	}

	@Test
	void shouldFailStartUpOnAnEntryThatIsWrong() {
		assertRefused("users: [{name: a, roles: [user]}]", "users[0]: give exactly one of token or token_sha256");
		assertRefused("users: [{name: a, token: t-0123456789abcdefghijklm, token_sha256: \"" + "0".repeat(64) + "\"}]",
				"exactly one");
		assertRefused("users: [{name: a, token_sha256: abc}]", "64 hex characters");
		assertRefused("users: [{name: a, token: t-0123456789abcdefghijklm, roles: [root]}]", "unknown role 'root'");
		assertRefused(
				"users: [{name: a, token: t-0123456789abcdefghijklm}, {name: a, token: u-0123456789abcdefghijklm}]",
				"users[1]: duplicate user name 'a'");
		assertRefused(
				"users: [{name: a, token: t-0123456789abcdefghijklm}, {name: b, token: t-0123456789abcdefghijklm}]",
				"two users share one token");
		assertRefused("users: [{name: a, tokn: t}]", "tokn");
		assertRefused("users: []", "lists no users");
	}

	@Test
	void shouldRefuseATokenShorterThanTheMinimumNamingTheEntry() throws IOException {
		assertRefused("users: [{name: a, token: " + "x".repeat(24) + "}, {name: b, token: s3cret}]",
				"users[1]: the token of 'b' has 6 characters; tokens need at least 24");
		assertThat(load("users: [{name: a, token: " + "x".repeat(UsersLoader.MIN_TOKEN_LENGTH) + "}]").names())
			.containsExactly("a");
	}

	@Test
	void shouldFailStartUpWhenTheConfiguredFileIsMissing() {
		assertThatIllegalStateException()
			.isThrownBy(
					() -> UsersLoader.load(new RaylaneSettings.Users(this.dir.resolve("nope.yaml")), true, this.dir))
			.withMessageContaining("does not exist");
	}

	@Test
	void shouldFailStartUpWithoutUsersFileOrDevUsers() {
		assertThatIllegalStateException()
			.isThrownBy(() -> UsersLoader.load(new RaylaneSettings.Users(null), false, this.dir))
			.withMessageContaining("raylane.users.file")
			.withMessageContaining("raylane.users.generate-dev-users");
	}

	@Test
	void shouldCreateDevUsersInAnOwnerOnlyFile() throws IOException {
		UserDirectory users = UsersLoader.load(new RaylaneSettings.Users(null), true, this.dir.resolve("data"));

		Path file = this.dir.resolve("data").resolve(DevUsers.FILE_NAME);
		Map<String, String> tokens = tokensIn(file);
		assertThat(tokens).containsOnlyKeys("alice", "bob", "admin");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(users.authenticate(tokens.get("alice"))).get()
			.extracting(ApiUser::roles)
			.isEqualTo(java.util.Set.of(Role.USER));
		assertThat(users.authenticate(tokens.get("admin"))).get()
			.extracting(ApiUser::roles)
			.isEqualTo(java.util.Set.of(Role.ADMIN));
	}

	@Test
	void shouldReuseTheDevTokensOfAnEarlierStart() throws IOException {
		Files.writeString(this.dir.resolve(DevUsers.FILE_NAME), "alice keep-a\nbob keep-b\n");

		UserDirectory users = UsersLoader.load(new RaylaneSettings.Users(null), true, this.dir);

		assertThat(users.authenticate("keep-a")).get().extracting(ApiUser::name).isEqualTo("alice");
		assertThat(users.authenticate("keep-b")).get().extracting(ApiUser::name).isEqualTo("bob");
		Map<String, String> tokens = tokensIn(this.dir.resolve(DevUsers.FILE_NAME));
		assertThat(tokens).containsEntry("alice", "keep-a").containsEntry("bob", "keep-b").containsKey("admin");
		assertThat(UsersLoader.load(new RaylaneSettings.Users(null), true, this.dir).authenticate(tokens.get("admin")))
			.isPresent();
	}

	private UserDirectory load(String yaml) throws IOException {
		Path file = this.dir.resolve("users.yaml");
		Files.writeString(file, yaml);
		return UsersLoader.load(new RaylaneSettings.Users(file), false, this.dir);
	}

	private void assertRefused(String yaml, String message) {
		assertThatIllegalStateException().isThrownBy(() -> load(yaml)).withMessageContaining(message);
	}

	private static Map<String, String> tokensIn(Path file) throws IOException {
		Map<String, String> tokens = new java.util.LinkedHashMap<>();
		Files.readAllLines(file).forEach((line) -> tokens.put(line.split(" ")[0], line.split(" ")[1]));
		return tokens;
	}

}
