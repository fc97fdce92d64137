package io.raylane.api.jobs;

import java.security.SecureRandom;

/**
 * New job ids: {@code rl-} and 12 random lower-case base32 characters (60 bits from
 * {@link SecureRandom}), safe as a path segment, a Kafka key and a Ray submission id
 * ({@link io.raylane.topics.job.JobIds} is their format), and not guessable from another
 * job's id.
 */
final class JobIdGenerator {

	static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

	private static final SecureRandom RANDOM = new SecureRandom();

	static final String PREFIX = "rl-";

	static final int LENGTH = 12;

	private JobIdGenerator() {
	}

	static String next() {
		StringBuilder id = new StringBuilder(PREFIX);
		for (int i = 0; i < LENGTH; i++) {
			id.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
		}
		return id.toString();
	}

}
