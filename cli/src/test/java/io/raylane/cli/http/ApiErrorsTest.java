package io.raylane.cli.http;

import io.raylane.cli.ExitCodes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiErrorsTest {

	@Test
	void shouldNameTheFieldAtFaultOnOneLine() {
		String body = "{\"error\": \"invalid_jobspec\", \"field\": \"resources.n_gpus_per_node\",\n"
				+ " \"detail\": \"must be between 0 and 64\"}";

		assertThat(ApiErrors.message(400, body, "http://127.0.0.1:8080"))
			.isEqualTo("HTTP 400 invalid_jobspec: field resources.n_gpus_per_node: must be between 0 and 64");
		assertThat(ApiErrors.of(400, body, "u").exitCode()).isEqualTo(ExitCodes.REFUSED);
	}

	@Test
	void shouldSayWhatToDoAboutARefusedToken() {
		String body = "{\"error\": \"unauthorized\", \"field\": null, \"detail\": \"a valid bearer token is required\"}";

		assertThat(ApiErrors.message(401, body, "http://127.0.0.1:8080")).isEqualTo(
				"HTTP 401 unauthorized: a valid bearer token is required (the token was not accepted by http://127.0.0.1:8080; run raylane login again)");
	}

	@Test
	void shouldTreatAServerFailureAsUnavailableAndKeepANonJsonBodyShort() {
		assertThat(ApiErrors.of(502, "<html>\nBad gateway\n</html>", "u").getMessage())
			.isEqualTo("HTTP 502: <html> Bad gateway </html>");
		assertThat(ApiErrors.of(502, "", "u").exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
	}

}
