package io.raylane.raystandin;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class SubmitRequestsTest {

	static Stream<Arguments> invalidBodies() {
		return Stream.of(
				Arguments.of("unknown key", "{\"entrypoint\": \"x\", \"entrypoint_colour\": {}}",
						"got an unexpected keyword argument 'entrypoint_colour'"),
				Arguments.of("missing entrypoint", "{\"submission_id\": \"a\"}",
						"missing 1 required positional argument: 'entrypoint'"),
				Arguments.of("entrypoint only null", "{\"entrypoint\": null}",
						"missing 1 required positional argument: 'entrypoint'"),
				Arguments.of("non-string entrypoint", "{\"entrypoint\": 3}",
						"entrypoint must be a string, got <class 'int'>"),
				Arguments.of("non-string submission id", "{\"entrypoint\": \"x\", \"submission_id\": 5}",
						"submission_id must be a string if provided, got <class 'int'>"),
				Arguments.of("runtime_env not an object", "{\"entrypoint\": \"x\", \"runtime_env\": [1]}",
						"runtime_env must be a dict, got <class 'list'>"),
				Arguments.of("metadata with a number", "{\"entrypoint\": \"x\", \"metadata\": {\"a\": 1}}",
						"metadata values must be strings, got <class 'int'>"),
				Arguments.of("cpus as text", "{\"entrypoint\": \"x\", \"entrypoint_num_cpus\": \"1\"}",
						"entrypoint_num_cpus must be a number, got <class 'str'>"),
				Arguments.of("gpus as object", "{\"entrypoint\": \"x\", \"entrypoint_num_gpus\": {}}",
						"entrypoint_num_gpus must be a number, got <class 'dict'>"),
				Arguments.of("float memory", "{\"entrypoint\": \"x\", \"entrypoint_memory\": 1.5}",
						"entrypoint_memory must be an integer, got <class 'float'>"),
				Arguments.of("resources not an object", "{\"entrypoint\": \"x\", \"entrypoint_resources\": 1}",
						"entrypoint_resources must be a dict, got <class 'int'>"),
				Arguments.of("resource amount as text",
						"{\"entrypoint\": \"x\", \"entrypoint_resources\": {\"a\": \"1\"}}",
						"entrypoint_resources values must be numbers, got <class 'str'>"),
				Arguments.of("a JSON array", "[1, 2]", "must be a mapping, not list"),
				Arguments.of("not JSON (aiohttp's 500 page)", "{entrypoint", "Server got itself in trouble"),
				Arguments.of("label selector value not text",
						"{\"entrypoint\": \"x\", \"entrypoint_label_selector\": {\"zone\": 1}}",
						"entrypoint_label_selector values must be strings, got <class 'int'>"),
				Arguments.of("retry_policy (not a 2.60 key)", "{\"entrypoint\": \"x\", \"retry_policy\": {}}",
						"unexpected keyword argument 'retry_policy'"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidBodies")
	void shouldRejectLikeRayDoes(String scenario, String body, String wantFragment) {
		SubmitRequests.Parsed parsed = SubmitRequests.parse(body);

		assertThat(parsed.valid()).isFalse();
		assertThat(parsed.error()).contains(wantFragment);
	}

	@Test
	void shouldParseEveryFieldAndDropNulls() {
		SubmitRequests.Parsed parsed = SubmitRequests.parse("""
				{"entrypoint": "python3 train.py", "submission_id": "rl-1", "job_id": null,
				 "runtime_env": {"env_vars": {"A": "1"}}, "metadata": {"raylane_user": "ana"},
				 "entrypoint_num_cpus": 1, "entrypoint_num_gpus": 0.5, "entrypoint_memory": 1024,
				 "entrypoint_resources": {"raylane-pool-default": 1}, "entrypoint_label_selector": null}
				""");

		assertThat(parsed.valid()).isTrue();
		SubmitRequest request = parsed.request();
		assertThat(request.entrypoint()).isEqualTo("python3 train.py");
		assertThat(request.submissionId()).isEqualTo("rl-1");
		assertThat(request.runtimeEnv()).isEqualTo(Map.of("env_vars", Map.of("A", "1")));
		assertThat(request.metadata()).isEqualTo(Map.of("raylane_user", "ana"));
		assertThat(request.resources())
			.isEqualTo(new ResourceRequest(1, 0.5, 1024, Map.of("raylane-pool-default", 1.0)));
	}

	@Test
	void shouldUseTheDeprecatedJobIdWhenNoSubmissionId() {
		SubmitRequests.Parsed parsed = SubmitRequests.parse("{\"entrypoint\": \"x\", \"job_id\": \"old-style\"}");

		assertThat(parsed.request().submissionId()).isEqualTo("old-style");
		assertThat(parsed.request().resources().specified()).isFalse();
		assertThat(parsed.request().runtimeEnv()).isNull();
		assertThat(parsed.request().metadata()).isNull();
	}

}
