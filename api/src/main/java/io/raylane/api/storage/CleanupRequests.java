package io.raylane.api.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.raylane.api.errors.ApiException;
import io.raylane.topics.job.Durations;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.http.HttpStatus;

/**
 * Reads and checks a cleanup body strictly (issue 16): at most {@link #MAX_BODY_BYTES},
 * an unknown, duplicate or mistyped field is a 400 naming it (a typo such as
 * {@code "job_id"} silently ignored would select other jobs than meant), and so is a body
 * that selects nothing. Pure apart from reading the stream.
 */
final class CleanupRequests {

	static final int MAX_BODY_BYTES = 256 * 1024;

	/** Job ids one request may name. */
	static final int MAX_JOB_IDS = 1000;

	/** Checkpoints {@code keep.last_checkpoints} may ask for. */
	static final int MAX_KEEP = 1000;

	/** A job id as the API makes them, and as a path segment may carry one. */
	private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

	private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

	private static final ObjectMapper STRICT = Json.mapper()
		.rebuild()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private CleanupRequests() {
	}

	/** Reads a body: bounded, then {@link #parse(byte[])}. */
	static CleanupCriteria read(InputStream body) throws IOException {
		byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
		if (bytes.length > MAX_BODY_BYTES) {
			throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "body_too_large", null,
					"a cleanup request may be at most " + MAX_BODY_BYTES + " bytes");
		}
		return parse(bytes);
	}

	static CleanupCriteria parse(byte[] bytes) {
		if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
			throw bad("job_ids", "a JSON object is required: job_ids, older_than, user or states, keep, dry_run");
		}
		CleanupRequest request;
		try {
			request = STRICT.readValue(bytes, CleanupRequest.class);
		}
		catch (UnrecognizedPropertyException ex) {
			throw bad(field(ex), "unknown field '" + ex.getPropertyName() + "' (known: " + known(ex) + ")");
		}
		catch (DatabindException ex) {
			throw bad(field(ex), "not a cleanup request: " + ex.getOriginalMessage());
		}
		catch (JacksonException ex) {
			throw bad(null, "not JSON: " + ex.getOriginalMessage());
		}
		if (request == null) {
			throw bad("job_ids", "a JSON object is required");
		}
		return validate(request);
	}

	/** Checks every field of a parsed request; the first problem is the 400. */
	static CleanupCriteria validate(CleanupRequest request) {
		List<String> jobIds = jobIds(request.jobIds());
		Duration olderThan = olderThan(request.olderThan());
		String user = request.user();
		if (user != null && !USER.matcher(user).matches()) {
			throw bad("user", "'" + user + "' is not a user name");
		}
		Set<JobStatus> states = states(request.states());
		if (jobIds == null && olderThan == null && user == null && states == null) {
			throw bad("job_ids", "name the jobs to clean up: job_ids, older_than, user or states (several narrow it)");
		}
		return new CleanupCriteria(jobIds, olderThan, user, states, keep(request.keep()),
				Boolean.TRUE.equals(request.dryRun()));
	}

	private static List<String> jobIds(List<String> ids) {
		if (ids == null) {
			return null;
		}
		if (ids.isEmpty() || ids.size() > MAX_JOB_IDS) {
			throw bad("job_ids", "must name between 1 and " + MAX_JOB_IDS + " jobs");
		}
		for (String id : ids) {
			if (id == null || !JOB_ID.matcher(id).matches()) {
				throw bad("job_ids", "'" + id + "' is not a job id");
			}
		}
		return ids.stream().distinct().toList();
	}

	private static Duration olderThan(String text) {
		if (text == null) {
			return null;
		}
		return Durations.parse(text)
			.filter((d) -> !d.isNegative())
			.orElseThrow(() -> bad("older_than", "'" + text + "' is not a duration (e.g. 14d, 36h, 90m)"));
	}

	private static Set<JobStatus> states(List<String> names) {
		if (names == null) {
			return null;
		}
		if (names.isEmpty()) {
			throw bad("states", "must name at least one finished state");
		}
		Set<JobStatus> states = EnumSet.noneOf(JobStatus.class);
		for (String name : names) {
			JobStatus status = parseStatus(name);
			if (status == null || !status.isTerminal()) {
				throw bad("states", "'" + name + "' is not a finished state (one of " + terminal() + ")");
			}
			states.add(status);
		}
		return states;
	}

	private static JobStatus parseStatus(String name) {
		try {
			return (name != null) ? JobStatus.valueOf(name.trim().toUpperCase(Locale.ROOT)) : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static String terminal() {
		return EnumSet.allOf(JobStatus.class)
			.stream()
			.filter(JobStatus::isTerminal)
			.map(Enum::name)
			.collect(Collectors.joining(", "));
	}

	private static CleanupCriteria.Keep keep(CleanupRequest.Keep keep) {
		CleanupCriteria.Keep defaults = CleanupCriteria.DEFAULT_KEEP;
		if (keep == null) {
			return defaults;
		}
		int last = (keep.lastCheckpoints() != null) ? keep.lastCheckpoints() : defaults.lastCheckpoints();
		if (last < 0 || last > MAX_KEEP) {
			throw bad("keep.last_checkpoints", "must be between 0 and " + MAX_KEEP);
		}
		return new CleanupCriteria.Keep(last, (keep.logs() != null) ? keep.logs() : defaults.logs(),
				(keep.config() != null) ? keep.config() : defaults.config());
	}

	/** The dotted snake_case path of the field Jackson stopped at. */
	private static String field(DatabindException ex) {
		String path = ex.getPath()
			.stream()
			.map((ref) -> (ref.getPropertyName() != null) ? ref.getPropertyName() : null)
			.filter((name) -> name != null)
			.collect(Collectors.joining("."));
		return path.isEmpty() ? null : path;
	}

	private static String known(UnrecognizedPropertyException ex) {
		return String.join(", ", ex.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList());
	}

	private static ApiException bad(String field, String detail) {
		return ApiException.badRequest("invalid_parameter", field, (field != null) ? field + ": " + detail : detail);
	}

}
