package io.raylane.topics.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * Who did what, when, from where, on {@code raylane.audit} (key = user). Never carries a
 * token.
 *
 * @param schemaVersion version of this record's shape
 * @param user the caller
 * @param action e.g. {@code submit_job}, {@code stop_job}
 * @param subject e.g. the job id
 * @param outcome e.g. {@code accepted}, {@code refused: ...}
 * @param remote the caller's address
 * @param at when
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", defaultImpl = AuditEvent.class)
@JsonTypeName("AuditEvent")
public record AuditEvent(int schemaVersion, String user, String action, String subject, String outcome, String remote,
		Instant at) {

	public static final int SCHEMA_VERSION = 1;

	public AuditEvent {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

	public AuditEvent(String user, String action, String subject, String outcome, String remote, Instant at) {
		this(SCHEMA_VERSION, user, action, subject, outcome, remote, at);
	}

}
