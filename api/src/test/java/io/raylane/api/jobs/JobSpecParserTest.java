package io.raylane.api.jobs;

import java.nio.charset.StandardCharsets;

import io.raylane.api.errors.ApiException;
import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.JobSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JobSpecParserTest {

	private final JobSpecParser parser = new JobSpecParser();

	@Test
	void shouldParseJson() {
		JobSpec spec = parse("application/json", """
				{"name": "hello", "workload": "command", "command": "echo hi", "pool": "a100",
				 "resources": {"nnodes": 2, "n_gpus_per_node": 4}, "timeout": "10m", "env": {"SEED": "1"}}""");

		assertThat(spec.name()).isEqualTo("hello");
		assertThat(spec.command()).isEqualTo("echo hi");
		assertThat(spec.pool()).isEqualTo("a100");
		assertThat(spec.resources().nnodes()).isEqualTo(2);
		assertThat(spec.resources().nGpusPerNode()).isEqualTo(4);
		assertThat(spec.envOrEmpty()).containsEntry("SEED", "1");
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/yaml", "application/x-yaml", "text/yaml", "application/yaml; charset=utf-8" })
	void shouldParseYamlUnderEveryYamlMediaType(String contentType) {
		JobSpec spec = parse(contentType, """
				name: hello
				workload: command
				command: echo hi
				resources:
				  nnodes: 1
				  n_gpus_per_node: 2
				env:
				  SEED: 42
				""");

		assertThat(spec.workload()).isEqualTo("command");
		assertThat(spec.resources().nGpusPerNode()).isEqualTo(2);
		assertThat(spec.envOrEmpty()).containsEntry("SEED", "42");
	}

	@ParameterizedTest
	@ValueSource(strings = { "verl-quickstart-ppo.yaml", "verl-quickstart-ppo-overrides.yaml" })
	void shouldAcceptVerlsQuickstartAsAJobSpec(String fixture) throws java.io.IOException {
		String yaml = java.nio.file.Files
			.readString(java.nio.file.Path.of("../jobspec/src/test/resources/jobspecs").resolve(fixture));

		JobSpec spec = parse("application/yaml", yaml);

		assertThat(spec.data().trainFiles()).containsExactly("/mnt/shared/common/datasets/gsm8k/train.parquet");
		assertThat(spec.data().valFiles()).containsExactly("/mnt/shared/common/datasets/gsm8k/test.parquet");
	}

	@Test
	void shouldRefuseMalformedJsonWithItsLocation() {
		ApiException ex = refuse("application/json", "{\"workload\": \"command\",\n \"command\": }");

		assertThat(ex.code()).isEqualTo("malformed_jobspec");
		assertThat(ex.field()).isNull();
		assertThat(ex.getMessage()).startsWith("not valid JSON at line 2, column");
	}

	@Test
	void shouldRefuseMalformedYaml() {
		ApiException ex = refuse("application/yaml", "workload: command\n  command: x: y\n");

		assertThat(ex.code()).isEqualTo("malformed_jobspec");
		assertThat(ex.getMessage()).startsWith("not valid YAML at line");
	}

	@ParameterizedTest
	@ValueSource(strings = { "[1, 2]", "\"just a string\"", "null", "{} {}" })
	void shouldRefuseJsonThatIsNotOneObject(String body) {
		assertThat(refuse("application/json", body).code()).isEqualTo("malformed_jobspec");
	}

	@Test
	void shouldRefuseAnEmptyBody() {
		ApiException ex = refuse("application/json", "  ");

		assertThat(ex.code()).isEqualTo("malformed_jobspec");
		assertThat(ex.getMessage()).contains("empty");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"application/json|{\"workload\":\"command\",\"command\":\"x\",\"comand\":\"y\"}|comand",
			"application/json|{\"workload\":\"command\",\"command\":\"x\",\"resources\":{\"gpus\":1}}|resources.gpus",
			"application/yaml|'workload: command\ncommand: x\nnodes: 2\n'|nodes" })
	void shouldRefuseAnUnknownFieldNamingIt(String contentType, String body, String field) {
		ApiException ex = refuse(contentType, body);

		assertThat(ex.status()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(ex.code()).isEqualTo("invalid_jobspec");
		assertThat(ex.field()).isEqualTo(field);
		assertThat(ex.getMessage()).contains("unknown field");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"application/json|{\"workload\":\"command\",\"command\":\"x\",\"resources\":{\"nnodes\":\"x\"}}|resources.nnodes|a whole number",
			"application/json|{\"workload\":\"command\",\"command\":\"x\",\"resources\":{\"n_gpus_per_node\":1.5}}|resources.n_gpus_per_node|a whole number",
			"application/json|{\"workload\":\"command\",\"command\":\"x\",\"resources\":7}|resources|an object",
			"application/json|{\"workload\":\"command\",\"command\":\"x\",\"env\":{\"A\":[1]}}|env.A|a string",
			"application/yaml|'workload: command\ncommand: x\nresources:\n  nnodes: many\n'|resources.nnodes|a whole number" })
	void shouldRefuseAWrongTypeNamingTheSnakeCasePath(String contentType, String body, String field, String expected) {
		ApiException ex = refuse(contentType, body);

		assertThat(ex.code()).isEqualTo("invalid_jobspec");
		assertThat(ex.field()).isEqualTo(field);
		assertThat(ex.getMessage()).isEqualTo(field + ": must be " + expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"{\"workload\":\"train\",\"command\":\"x\"}|workload|unknown workload 'train'",
			"{\"command\":\"x\"}|workload|is required",
			"{\"workload\":\"command\"}|command|is required for workload 'command'",
			"{\"workload\":\"command\",\"command\":\"x\",\"resources\":{\"n_gpus_per_node\":-1}}|resources.n_gpus_per_node|must be between 0 and 64",
			"{\"workload\":\"command\",\"command\":\"x\",\"resources\":{\"nnodes\":0}}|resources.nnodes|must be between 1 and",
			"{\"workload\":\"command\",\"command\":\"x\",\"pool\":\"A_100\"}|pool|lower-case",
			"{\"workload\":\"command\",\"command\":\"x\",\"timeout\":\"soon\"}|timeout|is not a duration",
			"{\"workload\":\"command\",\"command\":\"x\",\"env\":{\"1X\":\"v\"}}|env.1X|not a valid environment variable name",
			"{\"name\":\"-bad\",\"workload\":\"command\",\"command\":\"x\"}|name|must be 1-63" })
	void shouldRefuseWhatTheValidatorRefusesNamingTheField(String body, String field, String message) {
		ApiException ex = refuse("application/json", body);

		assertThat(ex.code()).isEqualTo("invalid_jobspec");
		assertThat(ex.field()).isEqualTo(field);
		assertThat(ex.getMessage()).startsWith(field + ": ").contains(message);
		assertThat(ex.errors()).extracting(FieldError::field).startsWith(field);
	}

	/**
	 * Issue 12 item 1: numbers and durations past what anything downstream can hold are a
	 * 400 naming the field, never a 500 (nor a spec that freezes its pool).
	 */
	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"timeout overflowing the clock|application/json|{\"workload\":\"command\",\"command\":\"x\",\"timeout\":\"1000000000000d\"}|timeout",
			"timeout overflowing a long|application/json|{\"workload\":\"command\",\"command\":\"x\",\"timeout\":\"99999999999999999999d\"}|timeout",
			"ISO timeout overflowing|application/json|{\"workload\":\"command\",\"command\":\"x\",\"timeout\":\"PT99999999999999999999S\"}|timeout",
			"timeout past 30 days|application/yaml|'workload: command\ncommand: x\ntimeout: 31d\n'|timeout",
			"nnodes overflowing an int|application/json|{\"workload\":\"command\",\"command\":\"x\",\"resources\":{\"nnodes\":99999999999999999999}}|resources.nnodes",
			"GPUs overflowing an int|application/yaml|'workload: command\ncommand: x\nresources:\n  n_gpus_per_node: 4294967297\n'|resources.n_gpus_per_node",
			"keep_last overflowing an int|application/json|{\"workload\":\"ppo\",\"checkpoint\":{\"keep_last\":99999999999999999999}}|checkpoint.keep_last",
			"epochs overflowing an int|application/json|{\"workload\":\"ppo\",\"trainer\":{\"total_epochs\":2147483648}}|trainer.total_epochs",
			"infinite learning rate|application/json|{\"workload\":\"ppo\",\"trainer\":{\"learning_rate\":1e400}}|trainer.learning_rate" })
	void shouldRefusePoisonNumbersNamingTheField(String scenario, String contentType, String body, String field) {
		ApiException ex = refuse(contentType, body);

		assertThat(ex.status()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(ex.code()).as(ex.getMessage()).isEqualTo("invalid_jobspec");
		assertThat(ex.errors()).extracting(FieldError::field).contains(field);
	}

	/**
	 * Issue 12's fuzz: an empty string for a number was read as no value, so the default
	 * applied and the spec was accepted (202). Every number and boolean refuses it, blank
	 * too, naming the field.
	 */
	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"empty GPUs|application/json|{\"workload\":\"command\",\"command\":\"x\",\"resources\":{\"n_gpus_per_node\":\"\"}}|resources.n_gpus_per_node|a whole number",
			"empty nnodes|application/json|{\"workload\":\"command\",\"command\":\"x\",\"resources\":{\"nnodes\":\"\"}}|resources.nnodes|a whole number",
			"blank nnodes|application/json|{\"workload\":\"command\",\"command\":\"x\",\"resources\":{\"nnodes\":\"  \"}}|resources.nnodes|a whole number",
			"empty GPUs in YAML|application/yaml|'workload: command\ncommand: x\nresources:\n  n_gpus_per_node: \"\"\n'|resources.n_gpus_per_node|a whole number",
			"empty resume step|application/json|{\"workload\":\"ppo\",\"resume_step\":\"\"}|resume_step|a whole number",
			"empty keep_last|application/json|{\"workload\":\"ppo\",\"checkpoint\":{\"keep_last\":\"\"}}|checkpoint.keep_last|a whole number",
			"empty learning rate|application/json|{\"workload\":\"ppo\",\"trainer\":{\"learning_rate\":\"\"}}|trainer.learning_rate|a number",
			"empty boolean|application/json|{\"workload\":\"ppo\",\"trainer\":{\"val_before_train\":\"\"}}|trainer.val_before_train|true or false",
			"empty wandb switch in YAML|application/yaml|'workload: ppo\nwandb:\n  enabled: \"\"\n'|wandb.enabled|true or false" })
	void shouldRefuseAnEmptyStringForANumberOrBooleanNamingTheField(String scenario, String contentType, String body,
			String field, String expected) {
		ApiException ex = refuse(contentType, body);

		assertThat(ex.status()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(ex.code()).isEqualTo("invalid_jobspec");
		assertThat(ex.field()).isEqualTo(field);
		assertThat(ex.getMessage()).isEqualTo(field + ": must be " + expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "workload: ppo\ntrainer:\n  learning_rate: .inf\n",
			"workload: ppo\ntrainer:\n  gpu_memory_utilization: .nan\n" })
	void shouldRefuseYamlInfinityAndNotANumberAsMalformed(String body) {
		ApiException ex = refuse("application/yaml", body);

		assertThat(ex.status()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(ex.code()).isEqualTo("malformed_jobspec");
	}

	@Test
	void shouldRefuseATimeoutPastTheConfiguredLimit() {
		JobSpecParser oneDay = new JobSpecParser(java.time.Duration.ofDays(1));
		byte[] body = "{\"workload\":\"command\",\"command\":\"x\",\"timeout\":\"25h\"}"
			.getBytes(StandardCharsets.UTF_8);

		ApiException ex = catchThrowableOfType(ApiException.class, () -> oneDay.parse(body, "application/json"));

		assertThat(ex.field()).isEqualTo("timeout");
		assertThat(ex.getMessage()).contains("at most 1d");
		assertThat(this.parser.parse(body, "application/json").timeout()).isEqualTo("25h");
	}

	@Test
	void shouldReportEveryValidatorErrorWithTheFirstAsTheField() {
		ApiException ex = refuse("application/json",
				"{\"workload\":\"command\",\"resources\":{\"n_gpus_per_node\":-2},\"timeout\":\"soon\"}");

		assertThat(ex.field()).isEqualTo("command");
		assertThat(ex.errors()).extracting(FieldError::field)
			.containsExactly("command", "resources.n_gpus_per_node", "timeout");
		assertThat(ex.getMessage()).endsWith("(and 2 more)");
	}

	@ParameterizedTest
	@ValueSource(strings = { "text/plain", "application/x-www-form-urlencoded", "*/*", "garbage" })
	void shouldRefuseOtherMediaTypesWith415(String contentType) {
		ApiException ex = refuse(contentType, "{\"workload\":\"command\",\"command\":\"x\"}");

		assertThat(ex.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
		assertThat(ex.code()).isEqualTo("unsupported_media_type");
	}

	@Test
	void shouldRefuseAHugeBodyWithoutReadingItAll() {
		byte[] huge = new byte[JobSpecParser.MAX_BODY_BYTES * 4];
		java.util.Arrays.fill(huge, (byte) ' ');
		java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(huge);

		ApiException ex = catchThrowableOfType(ApiException.class, () -> this.parser.parse(in, "application/json"));

		assertThat(ex.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
		assertThat(in.available()).isEqualTo(huge.length - JobSpecParser.MAX_BODY_BYTES - 1);
	}

	@Test
	void shouldRefuseAnEnvLargerThanAnyRecordMayCarryNamingTheField() {
		// issue 12: a 600 KB env was accepted; its dispatch record then exceeded the
		// broker's 1 MiB
		String body = "{\"workload\": \"command\", \"command\": \"true\", \"env\": {\"BIG\": \""
				+ "x".repeat(600 * 1024) + "\"}}";

		ApiException ex = refuse("application/json", body);

		assertThat(ex.status()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(ex.code()).isEqualTo("invalid_jobspec");
		assertThat(ex.field()).isEqualTo("env");
		assertThat(ex.getMessage()).contains("at most 128 KiB");
	}

	@Test
	void shouldRefuseAMissingContentTypeWith415() {
		ApiException ex = catchThrowableOfType(ApiException.class,
				() -> this.parser.parse("{}".getBytes(StandardCharsets.UTF_8), null));

		assertThat(ex.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
	}

	private JobSpec parse(String contentType, String body) {
		return this.parser.parse(body.getBytes(StandardCharsets.UTF_8), contentType);
	}

	private ApiException refuse(String contentType, String body) {
		ApiException ex = catchThrowableOfType(ApiException.class, () -> parse(contentType, body));
		assertThat(ex).as("refusal of %s", body).isNotNull();
		return ex;
	}

}
