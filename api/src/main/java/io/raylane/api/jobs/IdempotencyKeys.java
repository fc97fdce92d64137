package io.raylane.api.jobs;

import java.util.Optional;
import java.util.regex.Pattern;

import io.raylane.api.errors.ApiException;

/**
 * {@code Idempotency-Key} on {@code POST /v1/jobs} (issue 12): a client retrying after a
 * timeout sends the same key and gets the same job instead of a second one. The job id is
 * derived from the caller and the key, keyed by a digest only the API can compute
 * ({@link io.raylane.api.security.UserDirectory#keyedDigest}), so it needs no memory of
 * its own: every API instance, before and after a restart, finds the same id, and the
 * read model of {@code raylane.job-states} says whether the job exists. Should two
 * retries race past that check, the scheduler keeps the first SubmitJob of an id and
 * ignores the second.
 */
final class IdempotencyKeys {

	/** Visible ASCII, as the IETF draft's examples (UUIDs, ULIDs, hashes) use. */
	static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

	static final String HEADER = "Idempotency-Key";

	private IdempotencyKeys() {
	}

	/**
	 * The job id of {@code key} for the caller whose keyed digest of it is
	 * {@code digest}: {@code rl-} and 12 base32 characters, the format of
	 * {@link JobIdGenerator}'s random ids.
	 */
	static String jobId(byte[] digest) {
		StringBuilder id = new StringBuilder(JobIdGenerator.PREFIX);
		// 5 bits per character from the digest's first 60 bits
		long bits = 0;
		for (int i = 0; i < 8; i++) {
			bits = (bits << 8) | (digest[i] & 0xffL);
		}
		for (int i = 0; i < JobIdGenerator.LENGTH; i++) {
			id.append(JobIdGenerator.ALPHABET[(int) ((bits >>> (59 - 5 * i)) & 0x1f)]);
		}
		return id.toString();
	}

	/**
	 * What the caller's digest is computed over: the key alone (the digest is per user).
	 */
	static String message(String key) {
		return "idempotency-key\n" + key;
	}

	/**
	 * The key of a request, checked; empty when the request has none.
	 * @throws ApiException 400 naming the header when it is malformed
	 */
	static Optional<String> of(String header) {
		if (header == null) {
			return Optional.empty();
		}
		if (!KEY.matcher(header).matches()) {
			throw ApiException.badRequest("invalid_parameter", HEADER,
					"must be 1-255 visible ASCII characters (e.g. a UUID)");
		}
		return Optional.of(header);
	}

}
