package io.raylane.api.errors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorPathControllerTest {

	@ParameterizedTest(name = "container status {0} → {1} {2}")
	@CsvSource(nullValues = "none", value = { "400, BAD_REQUEST, bad_request", "404, NOT_FOUND, not_found",
			"405, METHOD_NOT_ALLOWED, method_not_allowed", "413, CONTENT_TOO_LARGE, content_too_large",
			"500, INTERNAL_SERVER_ERROR, internal_server_error",
			// someone asked for /error itself: nothing failed, there is nothing there
			"none, NOT_FOUND, not_found",
			// not an error status, or none Spring knows: still an error answer
			"200, INTERNAL_SERVER_ERROR, internal_server_error", "599, INTERNAL_SERVER_ERROR, internal_server_error" })
	void shouldAnswerTheContainersStatusWithAStableCode(Integer status, HttpStatus expected, String code) {
		HttpStatus answered = ErrorPathController.status(status);

		assertThat(answered).isEqualTo(expected);
		assertThat(ErrorPathController.code(answered)).isEqualTo(code);
	}

}
