package io.raylane.submitter.ray;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RayAnswersTest {

	static final String DUPLICATE = "Traceback (most recent call last):\n  File \"job_head.py\"\n"
			+ "ValueError: Job with submission_id j1 already exists. Please use a different submission_id.\n";

	@Test
	void shouldTreat200AsSubmitted() {
		assertThat(RayAnswers.classifySubmit(new RayAnswer(200, "{\"job_id\":\"j1\",\"submission_id\":\"j1\"}")))
			.isEqualTo(new SubmitOutcome.Accepted(false));
	}

	@Test
	void shouldTreatDuplicate500AsAlreadySubmitted() {
		assertThat(RayAnswers.classifySubmit(new RayAnswer(500, DUPLICATE)))
			.isEqualTo(new SubmitOutcome.Accepted(true));
	}

	@Test
	void shouldRefuse400WithRaysTrimmedText() {
		assertThat(RayAnswers.classifySubmit(new RayAnswer(400, "\n  TypeError: unexpected keyword 'x'  \n")))
			.isEqualTo(new SubmitOutcome.Failed(false, "TypeError: unexpected keyword 'x'"));
	}

	@Test
	void shouldRefuseOtherClientErrors() {
		assertThat(RayAnswers.classifySubmit(new RayAnswer(405, "Method Not Allowed for browser traffic.")))
			.isEqualTo(new SubmitOutcome.Failed(false, "Method Not Allowed for browser traffic."));
	}

	@ParameterizedTest
	@ValueSource(ints = { 500, 502, 503, 504, 408, 429 })
	void shouldCallServerErrorsOtherThanDuplicateTransient(int status) {
		assertThat(RayAnswers.classifySubmit(new RayAnswer(status, "No available agent to submit job")))
			.isEqualTo(new SubmitOutcome.Failed(true, "No available agent to submit job"));
	}

	@Test
	void shouldNameTheStatusWhenRaySentNoText() {
		assertThat(RayAnswers.classifySubmit(new RayAnswer(503, " ")))
			.isEqualTo(new SubmitOutcome.Failed(true, "HTTP 503"));
	}

	@Test
	void shouldReadRaysStopAnswer() {
		assertThat(RayAnswers.classifyStop(new RayAnswer(200, "{\"stopped\": true}")))
			.isEqualTo(new StopOutcome.Delivered(true));
		assertThat(RayAnswers.classifyStop(new RayAnswer(200, "{\"stopped\": false}")))
			.isEqualTo(new StopOutcome.Delivered(false));
	}

	@Test
	void shouldTreatUnknownJobOnStopAsNotStopped() {
		assertThat(RayAnswers.classifyStop(new RayAnswer(404, "Job j9 does not exist")))
			.isEqualTo(new StopOutcome.Delivered(false));
	}

	@Test
	void shouldRefuseStopOfDriverJobAndRetryServerErrors() {
		assertThat(RayAnswers.classifyStop(new RayAnswer(400, "Can't stop DRIVER job")))
			.isEqualTo(new StopOutcome.Failed(false, "Can't stop DRIVER job"));
		assertThat(RayAnswers.classifyStop(new RayAnswer(500, "boom"))).isEqualTo(new StopOutcome.Failed(true, "boom"));
	}

	@Test
	void shouldNotTrustAStopAnswerItCannotRead() {
		assertThat(RayAnswers.classifyStop(new RayAnswer(200, "<html>proxy</html>")))
			.isInstanceOf(StopOutcome.Failed.class)
			.extracting((o) -> ((StopOutcome.Failed) o).retryable())
			.isEqualTo(false);
	}

	static final String LISTED = "[{\"type\":\"SUBMISSION\",\"job_id\":null,\"submission_id\":\"j1\","
			+ "\"status\":\"FAILED\",\"entrypoint\":\"Entrypoint not found.\",\"new_key\":1},"
			+ "{\"type\":\"DRIVER\",\"job_id\":\"01000000\",\"submission_id\":null},"
			+ "{\"type\":\"SUBMISSION\",\"submission_id\":\"j2\"}]";

	static Stream<Arguments> listAnswers() {
		return Stream.of(Arguments.of("[]", Set.of()), Arguments.of(LISTED, Set.of("j1", "j2")),
				Arguments.of("null", null), Arguments.of("{\"jobs\":[]}", null),
				Arguments.of("<html>proxy</html>", null), Arguments.of("", null));
	}

	/** Ray's job list: the submission ids, driver jobs left out; null = not a list. */
	@ParameterizedTest
	@MethodSource("listAnswers")
	void shouldReadTheSubmissionIdsOfRaysJobList(String body, Set<String> ids) {
		assertThat(RayAnswers.submissionIds(body)).isEqualTo(Optional.ofNullable(ids));
	}

}
