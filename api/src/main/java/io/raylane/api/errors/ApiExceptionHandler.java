package io.raylane.api.errors;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Maps every failure of a controller to the JSON error body, so no caller ever sees
 * Spring's default error page or a stack trace.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler(ApiException.class)
	ResponseEntity<ErrorBody> api(ApiException ex) {
		return ResponseEntity.status(ex.status()).body(ex.body());
	}

	@ExceptionHandler(HttpMediaTypeNotSupportedException.class)
	ResponseEntity<ErrorBody> mediaType(HttpMediaTypeNotSupportedException ex) {
		return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", null, ex.getMessage());
	}

	@ExceptionHandler(MissingServletRequestParameterException.class)
	ResponseEntity<ErrorBody> missingParameter(MissingServletRequestParameterException ex) {
		return error(HttpStatus.BAD_REQUEST, "invalid_parameter", ex.getParameterName(), "is required");
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<ErrorBody> typeMismatch(MethodArgumentTypeMismatchException ex) {
		return error(HttpStatus.BAD_REQUEST, "invalid_parameter", ex.getName(), "has the wrong type");
	}

	@ExceptionHandler(NoResourceFoundException.class)
	ResponseEntity<ErrorBody> noResource(NoResourceFoundException ex, HttpServletRequest request) {
		return error(HttpStatus.NOT_FOUND, "not_found", null, "no such endpoint: " + request.getRequestURI());
	}

	@ExceptionHandler(HttpRequestMethodNotSupportedException.class)
	ResponseEntity<ErrorBody> method(HttpRequestMethodNotSupportedException ex) {
		return error(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", null, ex.getMessage());
	}

	/**
	 * Tomcat refuses a query string it cannot split into parameters (a chunk such as
	 * {@code =value} without a name) only when a controller first asks for one; the
	 * caller sent it, so it is theirs to fix (found by the OpenAPI fuzz, issue 15).
	 */
	@ExceptionHandler(InvalidParameterException.class)
	ResponseEntity<ErrorBody> malformedQuery(InvalidParameterException ex) {
		return error(HttpStatus.BAD_REQUEST, "invalid_parameter", null,
				"the query string is malformed: every parameter needs a name (name=value, joined by &)");
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ErrorBody> unexpected(Exception ex, HttpServletRequest request) {
		log.error("unexpected failure of {} {}", request.getMethod(), request.getRequestURI(), ex);
		return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", null,
				"unexpected server error; see the API's log");
	}

	private static ResponseEntity<ErrorBody> error(HttpStatus status, String code, String field, String detail) {
		return ResponseEntity.status(status).body(new ErrorBody(code, field, detail));
	}

}
