package io.raylane.api.jobs;

import java.util.Optional;

import io.raylane.topics.job.FieldError;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the reward file check answered ({@code reward-check/reward_check.py}), and the
 * refusal it makes (issue 13 item 5). Pure.
 *
 * @param line the line of a syntax error (1-based; 0 when Python names none)
 * @param message why the file was refused
 * @param note how it was checked, when not fully (an assignment, no Python)
 */
record RewardVerdict(Result result, Integer line, String message, String note) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	enum Result {

		OK, SYNTAX_ERROR, FUNCTION_MISSING, INCOMPATIBLE

	}

	/**
	 * The checker's JSON answer.
	 * @throws IllegalArgumentException when it is not one
	 */
	static RewardVerdict parse(String answer) {
		JsonNode node;
		try {
			node = JSON.readTree(answer.strip());
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("unreadable answer: " + ex.getOriginalMessage());
		}
		String message = node.path("message").isString() ? node.path("message").stringValue() : null;
		String note = node.path("note").isString() ? node.path("note").stringValue() : null;
		return switch (node.path("result").asString("")) {
			case "ok" -> new RewardVerdict(Result.OK, null, null, note);
			case "syntax_error" -> new RewardVerdict(Result.SYNTAX_ERROR, node.path("line").asInt(0), message, note);
			case "function_missing" -> new RewardVerdict(Result.FUNCTION_MISSING, null, null, note);
			case "incompatible" -> new RewardVerdict(Result.INCOMPATIBLE, null, message, note);
			default -> throw new IllegalArgumentException("unknown answer: " + answer.strip());
		};
	}

	/** The 400's field error, empty when the file may run. */
	Optional<FieldError> refusal(String path, String function) {
		return switch (this.result) {
			case OK -> Optional.empty();
			case SYNTAX_ERROR -> Optional.of(new FieldError("reward.path", "'" + path + "' has a syntax error"
					+ ((this.line != null && this.line > 0) ? " at line " + this.line : "") + ": " + this.message));
			case FUNCTION_MISSING ->
				Optional.of(new FieldError("reward.function", "'" + path + "' defines no top-level function '"
						+ function + "'" + ((this.note != null) ? " (" + this.note + ")" : "")));
			case INCOMPATIBLE -> Optional.of(new FieldError("reward.function",
					"'" + function + "' in '" + path + "' cannot be called by verl: " + this.message));
		};
	}

}
