package io.raylane.api.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.raylane.api.ApiProperties;
import io.raylane.topics.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Builds the {@link UserDirectory} at start-up, from the users file ({@code raylane.users.file}):
 * <pre>
 * users:
 *   - {name: alice, token: "s3cret", roles: [user], gpu_quota: 8}
 *   - {name: ops, token_sha256: "&lt;64 hex chars&gt;", roles: [admin]}
 * </pre>
 * or, without a file and with {@code raylane.users.generate-dev-users=true}, from {@link DevUsers}.
 * Anything wrong fails start-up with a message naming the file and the entry.
 */
public final class UsersLoader {

	private static final YAMLMapper STRICT = Json.yaml()
		.rebuild()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private UsersLoader() {
	}

	record UsersFile(List<Entry> users) {
	}

	/** {@code gpu_quota} is the scheduler's (it reads the file itself); the API only accepts the field. */
	record Entry(String name, String token, String tokenSha256, List<String> roles, Integer gpuQuota) {
	}

	/** The users of this API, or an {@link IllegalStateException} saying how to configure them. */
	public static UserDirectory load(ApiProperties.Users users, Path dataDir) {
		if (users.hasFile()) {
			return fromFile(users.file());
		}
		if (users.generateDevUsers()) {
			return fromTokens(DevUsers.loadOrCreate(dataDir));
		}
		throw new IllegalStateException("no API users configured: set raylane.users.file (RAYLANE_USERS_FILE) to a "
				+ "users YAML file, or raylane.users.generate-dev-users=true for a local stack");
	}

	static UserDirectory fromFile(Path file) {
		if (!Files.isRegularFile(file)) {
			throw new IllegalStateException("users file " + file.toAbsolutePath() + " (raylane.users.file) does not exist");
		}
		UsersFile parsed;
		try {
			parsed = STRICT.readValue(Files.readAllBytes(file), UsersFile.class);
		}
		catch (IOException | JacksonException ex) {
			throw new IllegalStateException("users file " + file + " is unreadable: " + ex.getMessage(), ex);
		}
		if (parsed == null || parsed.users() == null || parsed.users().isEmpty()) {
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
		tokens.forEach((name, token) -> result.add(new ApiUser(name, DevUsers.rolesOf(name), UserDirectory.sha256(token))));
		return new UserDirectory(result);
	}

	private static ApiUser toUser(Entry entry) {
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
