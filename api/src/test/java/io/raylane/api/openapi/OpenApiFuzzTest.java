package io.raylane.api.openapi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.raylane.api.ApiIntegrationTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: every endpoint of the published OpenAPI document ({@code /v3/api-docs}),
 * fuzzed by schemathesis with a token of each role. No answer may be a 5xx, and every
 * answer's status, media type and body must be the ones the document gives. The run's
 * JUnit report stays in {@code target/openapi-fuzz/}.
 */
@Tag("slow")
class OpenApiFuzzTest extends ApiIntegrationTestSupport {

	/** What the fuzz checks: the "no 5xx; every response matches the schema". */
	private static final String CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,"
			+ "response_schema_conformance";

	@Test
	void shouldPublishTheDocumentWithoutAToken() throws Exception {
		var answer = get("/v3/api-docs", null);

		assertThat(answer.statusCode()).isEqualTo(200);
		JsonNode doc = json(answer);
		assertThat(doc.get("info").get("title").asString()).isEqualTo("Raylane API");
		assertThat(doc.get("paths").propertyNames()).contains("/v1/jobs", "/v1/jobs/{id}", "/v1/jobs/{id}:stop",
				"/v1/jobs/{id}/logs", "/v1/queue", "/v1/usage", "/v1/nodes", "/v1/jobspec/schema");
		assertThat(doc.get("components").get("securitySchemes").get("bearer").get("scheme").asString())
			.isEqualTo("bearer");
		// the names the API writes, not Java's
		assertThat(doc.get("components").get("schemas").get("JobView").get("properties").propertyNames())
			.contains("job_id", "submitted_at");
		// a node's fields are written even when null (found by the fuzz in CI)
		assertThat(doc.get("components")
			.get("schemas")
			.get("NodeResponse")
			.get("properties")
			.get("port")
			.get("type")
			.toString()).contains("null").contains("integer");
		// docs/api.md agrees: it describes every path the document has
		String apiMd = Files.readString(Path.of("..", "docs", "api.md"), StandardCharsets.UTF_8);
		for (String path : doc.get("paths").propertyNames()) {
			assertThat(apiMd).as("docs/api.md describes %s", path).contains(path);
		}
	}

	/** The shared storage is mounted where the API runs, as in production (/v1/code). */
	@BeforeEach
	void sharedStorageMounted() throws IOException {
		Files.createDirectories(Path.of("target/it-shared"));
	}

	@ParameterizedTest(name = "as {0}")
	@CsvSource({ "user, alice-test-token-0123456789", "admin, admin-test-token-0123456789" })
	void shouldAnswerEveryFuzzedRequestAsTheDocumentSays(String role, String token) throws Exception {
		Path reports = Path.of("target", "openapi-fuzz", role).toAbsolutePath();
		Files.createDirectories(reports);
		Path output = reports.resolve("st-output.txt");
		List<String> command = List.of(Schemathesis.cli().toString(), "run",
				"http://127.0.0.1:" + this.port + "/v3/api-docs", "--checks", CHECKS, "--header",
				"Authorization: Bearer " + token, "--phases", "examples,coverage,fuzzing", "--max-examples", "25",
				"--workers", "1", "--seed", "15", "--request-timeout", "30", "--report", "junit", "--report-dir",
				reports.toString(), "--no-color");
		// run in the report folder: schemathesis keeps its cache (.schemathesis/) in its
		// working directory
		Process st = new ProcessBuilder(command).directory(reports.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		assertThat(st.waitFor(10, TimeUnit.MINUTES)).as("schemathesis finished within 10 minutes").isTrue();

		String printed = read(output);
		assertThat(st.exitValue()).as("schemathesis as %s:%n%s", role, printed).isZero();
		assertThat(printed).contains("passed");
	}

	private static String read(Path output) throws IOException {
		return Files.readString(output, StandardCharsets.UTF_8);
	}

}
