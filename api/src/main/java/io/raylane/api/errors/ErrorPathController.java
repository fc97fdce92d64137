package io.raylane.api.errors;

import java.util.Locale;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /error}: what the container answers for a request that never reached a
 * controller (a URL Spring Security's firewall or Tomcat refused, a malformed request
 * line), in the same {@link ErrorBody} as every other error, instead of Spring Boot's
 * {@code {timestamp, status, error, path}} (found by the OpenAPI fuzz, issue 15).
 */
@Hidden
@RestController
class ErrorPathController implements ErrorController {

	@RequestMapping(path = "/error", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<ErrorBody> error(HttpServletRequest request) {
		HttpStatus status = status(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE));
		String detail = (status == HttpStatus.BAD_REQUEST)
				? "the request could not be read (e.g. a character the URL may not hold)" : status.getReasonPhrase();
		return ResponseEntity.status(status).body(new ErrorBody(code(status), null, detail));
	}

	/** The error's status; none (someone asked for /error itself) is a 404. */
	static HttpStatus status(Object code) {
		if (!(code instanceof Integer value)) {
			return HttpStatus.NOT_FOUND;
		}
		HttpStatus status = HttpStatus.resolve(value);
		return (status != null && status.isError()) ? status : HttpStatus.INTERNAL_SERVER_ERROR;
	}

	/** {@code bad_request}, {@code not_found}: the reason phrase as a code. */
	static String code(HttpStatus status) {
		return status.getReasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
	}

}
