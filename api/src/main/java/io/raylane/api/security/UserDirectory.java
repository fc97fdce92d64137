package io.raylane.api.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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

	/**
	 * HMAC-SHA256 of {@code message} keyed by the SHA-256 of {@code user}'s token: the
	 * same on every API instance and after every restart (the users file is the same),
	 * and not computable by anyone who does not hold that user's token or the users file
	 * (idempotency keys derive job ids with it).
	 * @return empty when there is no such user
	 */
	public Optional<byte[]> keyedDigest(String user, String message) {
		for (ApiUser candidate : this.users) {
			if (candidate.name().equals(user)) {
				try {
					Mac mac = Mac.getInstance("HmacSHA256");
					mac.init(new SecretKeySpec(candidate.tokenSha256(), "HmacSHA256"));
					return Optional.of(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
				}
				catch (GeneralSecurityException ex) {
					throw new IllegalStateException("the JVM has no HmacSHA256", ex);
				}
			}
		}
		return Optional.empty();
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
