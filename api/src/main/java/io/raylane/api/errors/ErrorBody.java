package io.raylane.api.errors;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.raylane.topics.job.FieldError;

/**
 * The body of every error answer: {@code {"error": code, "field": dotted field or null,
 * "detail": text}}, plus {@code errors} (every problem found) when a JobSpec is invalid.
 *
 * @param error a stable, machine-readable code, e.g. {@code invalid_jobspec}
 * @param field the dotted snake_case field at fault, or null
 * @param detail what is wrong, for humans
 * @param errors every field problem, when there were several; omitted otherwise
 */
public record ErrorBody(String error, @JsonInclude(JsonInclude.Include.ALWAYS) String field, String detail,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<FieldError> errors) {

	public ErrorBody(String error, String field, String detail) {
		this(error, field, detail, List.of());
	}

}
