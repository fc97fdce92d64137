package io.raylane.api.errors;

import java.util.List;

import io.raylane.topics.job.FieldError;

import org.springframework.http.HttpStatus;

/**
 * A request the API refuses, with the status and {@link ErrorBody} to answer. Thrown by
 * controllers and their helpers; {@link ApiExceptionHandler} turns it into the answer.
 * Nothing has been written to Kafka when one is thrown before the publish step.
 */
public class ApiException extends RuntimeException {

	private final HttpStatus status;

	private final String code;

	private final String field;

	private final List<FieldError> errors;

	public ApiException(HttpStatus status, String code, String field, String detail, List<FieldError> errors) {
		super(detail);
		this.status = status;
		this.code = code;
		this.field = field;
		this.errors = List.copyOf(errors);
	}

	public ApiException(HttpStatus status, String code, String field, String detail) {
		this(status, code, field, detail, List.of());
	}

	public static ApiException badRequest(String code, String field, String detail) {
		return new ApiException(HttpStatus.BAD_REQUEST, code, field, detail);
	}

	public static ApiException notFound(String code, String detail) {
		return new ApiException(HttpStatus.NOT_FOUND, code, null, detail);
	}

	public HttpStatus status() {
		return this.status;
	}

	public String code() {
		return this.code;
	}

	public String field() {
		return this.field;
	}

	public List<FieldError> errors() {
		return this.errors;
	}

	public ErrorBody body() {
		return new ErrorBody(this.code, this.field, getMessage(), this.errors);
	}

}
