package io.raylane.api.usage;

import java.util.Locale;
import java.util.function.Function;

import io.raylane.api.errors.ApiException;
import io.raylane.topics.events.GpuUsage;

/** How {@code GET /v1/usage} groups accounting records: by the job's owner, its pool, or the job itself. */
enum GroupBy {

	USER(GpuUsage::user), POOL(GpuUsage::pool), JOB(GpuUsage::jobId);

	private final Function<GpuUsage, String> key;

	GroupBy(Function<GpuUsage, String> key) {
		this.key = key;
	}

	/** The group {@code usage} falls in. */
	String keyOf(GpuUsage usage) {
		return this.key.apply(usage);
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
