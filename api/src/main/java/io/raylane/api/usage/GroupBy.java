package io.raylane.api.usage;

import java.util.Locale;
import java.util.function.Function;

import io.raylane.api.errors.ApiException;

/**
 * How {@code GET /v1/usage} groups accounting records: by the job's owner, its pool, or
 * the job itself.
 */
enum GroupBy {

	USER(JobUsage::user), POOL(JobUsage::pool), JOB(JobUsage::jobId);

	private final Function<JobUsage, String> key;

	GroupBy(Function<JobUsage, String> key) {
		this.key = key;
	}

	/** The group {@code job}'s usage falls in. */
	String keyOf(JobUsage job) {
		return this.key.apply(job);
	}

	/** The wire name: {@code user}, {@code pool}, {@code job}. */
	String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Parses the {@code group_by} parameter; absent means {@code user}. */
	static GroupBy parse(String text) {
		if (text == null || text.isBlank()) {
			return USER;
		}
		for (GroupBy groupBy : values()) {
			if (groupBy.wireName().equals(text.trim().toLowerCase(Locale.ROOT))) {
				return groupBy;
			}
		}
		throw ApiException.badRequest("invalid_parameter", "group_by",
				"unknown group_by '" + text + "' (one of: user, pool, job)");
	}

}
