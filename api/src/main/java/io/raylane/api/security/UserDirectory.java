package io.raylane.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * The API's users, looked up by bearer token. The token's SHA-256 is compared with every
 * user's in constant time ({@link MessageDigest#isEqual}), and the loop never stops
 * early, so timing reveals neither a token nor which user matched.
 */
public final class UserDirectory {

	private final List<ApiUser> users;

	UserDirectory(List<ApiUser> users) {
		this.users = List.copyOf(users);
	}

	/** The user holding {@code token}, if any. */
	Optional<ApiUser> authenticate(String token) {
		if (token == null || token.isEmpty()) {
			return Optional.empty();
		}
		byte[] hash = sha256(token);
		ApiUser found = null;
		for (ApiUser user : this.users) {
			if (MessageDigest.isEqual(user.tokenSha256(), hash)) {
				found = user;
			}
		}
		return Optional.ofNullable(found);
	}

	/** The user names, for start-up logging. */
	public List<String> names() {
		return this.users.stream().map(ApiUser::name).toList();
	}

	static byte[] sha256(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("the JVM has no SHA-256", ex);
		}
	}

}
