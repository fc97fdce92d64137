package io.raylane.api;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Bounds of {@code GET /v1/jobs/{id}/logs?follow=true} (issue 15): a stream holds a
 * request thread and polls the log, so each connection is bounded in time and bytes and
 * the API serves only so many at once.
 *
 * @param followMax {@code raylane.api.logs.follow-max}: the longest one stream lasts; a
 * client follows a longer job by asking again
 * @param followMaxBytes {@code raylane.api.logs.follow-max-bytes}: the most one stream
 * sends
 * @param followInterval {@code raylane.api.logs.follow-interval}: how often the log is
 * read for new output
 * @param maxFollowers {@code raylane.api.logs.max-followers}: streams served at once; one
 * more is a 429
 */
@ConfigurationProperties("raylane.api.logs")
public record LogFollowProperties(@DefaultValue("10m") Duration followMax,
		@DefaultValue("64MB") DataSize followMaxBytes, @DefaultValue("1s") Duration followInterval,
		@DefaultValue("32") int maxFollowers) {

	public LogFollowProperties {
		if (followMax.isNegative() || followMax.isZero() || followMaxBytes.toBytes() < 1 || maxFollowers < 1
				|| followInterval.isNegative() || followInterval.isZero()) {
			throw new IllegalArgumentException("raylane.api.logs.* must be positive");
		}
	}

}
