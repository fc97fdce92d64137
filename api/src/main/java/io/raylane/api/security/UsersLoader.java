package io.raylane.api.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.raylane.support.RaylaneSettings;
import io.raylane.support.users.UsersFile;

/**
 * Builds the {@link UserDirectory} at start-up, from the users file
 * ({@code raylane.users.file}, read by {@link UsersFile}, where a field it does not know
 * fails) or, without a file and with {@code raylane.users.generate-dev-users=true}, from
 * {@link DevUsers}. Anything wrong (a token shorter than {@link #MIN_TOKEN_LENGTH}
 * included) fails start-up with a message naming the file and the entry.
 * {@code gpu_quota} is the scheduler's (it reads the file itself); the API only accepts
 * the field.
 */
public final class UsersLoader {

	/**
	 * The shortest token a users file may give (issue 12): 24 random base64 characters
	 * are 144 bits. A {@code token_sha256} cannot be checked; it must be the hash of such
	 * a token too.
	 */
	public static final int MIN_TOKEN_LENGTH = 24;

	private UsersLoader() {
	}

	/**
	 * The users of this API, or an {@link IllegalStateException} saying how to configure
	 * them.
	 */
	public static UserDirectory load(RaylaneSettings.Users users, boolean generateDevUsers, Path dataDir) {
		if (users.hasFile()) {
			return fromFile(users.file());
		}
		if (generateDevUsers) {
			return fromTokens(DevUsers.loadOrCreate(dataDir));
		}
		throw new IllegalStateException("no API users configured: set raylane.users.file (RAYLANE_USERS_FILE) to a "
				+ "users YAML file, or raylane.users.generate-dev-users=true for a local stack");
	}

	static UserDirectory fromFile(Path file) {
		if (!Files.isRegularFile(file)) {
			throw new IllegalStateException(
					"users file " + file.toAbsolutePath() + " (raylane.users.file) does not exist");
		}
		UsersFile parsed = UsersFile.read(file);
		if (parsed.users().isEmpty()) {
			throw new IllegalStateException("users file " + file + " lists no users");
		}
		List<ApiUser> result = new ArrayList<>();
		Set<String> names = new HashSet<>();
		Set<String> hashes = new HashSet<>();
		for (int i = 0; i < parsed.users().size(); i++) {
			try {
				ApiUser user = toUser(parsed.users().get(i));
				if (!names.add(user.name())) {
					throw new IllegalArgumentException("duplicate user name '" + user.name() + "'");
				}
				if (!hashes.add(HexFormat.of().formatHex(user.tokenSha256()))) {
					throw new IllegalArgumentException("two users share one token");
				}
				result.add(user);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("users file " + file + ", users[" + i + "]: " + ex.getMessage(), ex);
			}
		}
		return new UserDirectory(result);
	}

	static UserDirectory fromTokens(Map<String, String> tokens) {
		List<ApiUser> result = new ArrayList<>();
		tokens.forEach(
				(name, token) -> result.add(new ApiUser(name, DevUsers.rolesOf(name), UserDirectory.sha256(token))));
		return new UserDirectory(result);
	}

	private static ApiUser toUser(UsersFile.Entry entry) {
		if (entry == null || entry.name() == null || entry.name().isBlank()) {
			throw new IllegalArgumentException("name is required");
		}
		boolean hasToken = entry.token() != null && !entry.token().isEmpty();
		boolean hasHash = entry.tokenSha256() != null && !entry.tokenSha256().isEmpty();
		if (hasToken == hasHash) {
			throw new IllegalArgumentException("give exactly one of token or token_sha256 for '" + entry.name() + "'");
		}
		byte[] hash;
		if (hasToken) {
			if (entry.token().length() < MIN_TOKEN_LENGTH) {
				throw new IllegalArgumentException("the token of '" + entry.name() + "' has " + entry.token().length()
						+ " characters; tokens need at least " + MIN_TOKEN_LENGTH
						+ " (e.g. openssl rand -base64 32), so that they cannot be guessed");
			}
			hash = UserDirectory.sha256(entry.token());
		}
		else {
			if (!entry.tokenSha256().matches("[0-9a-fA-F]{64}")) {
				throw new IllegalArgumentException("token_sha256 of '" + entry.name() + "' must be 64 hex characters");
			}
			hash = HexFormat.of().parseHex(entry.tokenSha256().toLowerCase(java.util.Locale.ROOT));
		}
		Set<Role> roles = new LinkedHashSet<>();
		List<String> names = (entry.roles() != null && !entry.roles().isEmpty()) ? entry.roles() : List.of("user");
		for (String role : names) {
			roles.add(Role.parse(role));
		}
		return new ApiUser(entry.name(), roles, hash);
	}

}
