package io.raylane.api.errors;

import java.util.List;

import io.raylane.topics.job.FieldError;
import io.raylane.topics.json.Json;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorMappingTest {

	private final ApiExceptionHandler handler = new ApiExceptionHandler();

	@Test
	void shouldAnswerTheStatusAndBodyOfAnApiException() {
		ResponseEntity<ErrorBody> answer = this.handler.api(new ApiException(HttpStatus.BAD_REQUEST, "invalid_jobspec",
				"command", "command: is required", List.of(new FieldError("command", "is required"))));

		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(Json.writeString(answer.getBody())).isEqualTo("{\"error\":\"invalid_jobspec\",\"field\":\"command\","
				+ "\"detail\":\"command: is required\",\"errors\":[{\"field\":\"command\",\"message\":\"is required\"}]}");
	}

	@Test
	void shouldWriteANullFieldAndNoErrorsArrayWhenThereAreNone() {
		ResponseEntity<ErrorBody> answer = this.handler.api(ApiException.notFound("job_not_found", "no job rl-x"));

		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(Json.writeString(answer.getBody()))
			.isEqualTo("{\"error\":\"job_not_found\",\"field\":null,\"detail\":\"no job rl-x\"}");
	}

	@Test
	void shouldHideUnexpectedFailuresBehindAGeneric500() {
		ResponseEntity<ErrorBody> answer = this.handler.unexpected(new IllegalStateException("secret internals"),
				new org.springframework.mock.web.MockHttpServletRequest("GET", "/v1/jobs"));

		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		assertThat(answer.getBody().error()).isEqualTo("internal_error");
		assertThat(answer.getBody().detail()).doesNotContain("secret internals");
	}

}
