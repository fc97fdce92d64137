package io.raylane.api.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.raylane.api.errors.ApiException;
import io.raylane.jobspec.JobSpecValidator;
import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * Turns a request body into a valid JobSpec, strictly, or refuses it with a 4xx naming
 * the field: JSON ({@code application/json}) or YAML ({@code application/yaml},
 * {@code application/x-yaml}, {@code text/yaml}). Unknown fields, wrong types and floats
 * for integers are errors, because a typo silently ignored would run the wrong job. Runs
 * before anything is written.
 */
final class JobSpecParser {

	static final int MAX_BODY_BYTES = 1024 * 1024;

	static final List<MediaType> YAML_TYPES = List.of(MediaType.parseMediaType("application/yaml"),
			MediaType.parseMediaType("application/x-yaml"), MediaType.parseMediaType("text/yaml"));

	private static final ObjectMapper JSON = Json.mapper()
		.rebuild()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private static final ObjectMapper YAML = Json.yaml()
		.rebuild()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private static final Map<Class<?>, String> TYPE_NAMES = Map.of(Integer.class, "a whole number", int.class,
			"a whole number", String.class, "a string", Map.class, "a mapping of names to strings", Double.class,
			"a number", Boolean.class, "true or false", List.class, "a list");

	private final Duration maxTimeout;

	/** A parser allowing timeouts up to {@link JobSpecValidator#DEFAULT_MAX_TIMEOUT}. */
	JobSpecParser() {
		this(JobSpecValidator.DEFAULT_MAX_TIMEOUT);
	}

	/**
	 * @param maxTimeout {@code raylane.jobs.max-timeout}: the longest timeout a spec may
	 * ask for
	 */
	JobSpecParser(Duration maxTimeout) {
		this.maxTimeout = maxTimeout;
	}

	/**
	 * Reads at most {@link #MAX_BODY_BYTES} (+1, to detect more) from {@code body}, then
	 * parses it: a huge body is refused without being held in memory.
	 */
	JobSpec parse(InputStream body, String contentType) throws IOException {
		isYaml(contentType);
		return parse(body.readNBytes(MAX_BODY_BYTES + 1), contentType);
	}

	/** The valid spec in {@code body}, or an {@link ApiException} (400 / 413 / 415). */
	JobSpec parse(byte[] body, String contentType) {
		boolean yaml = isYaml(contentType);
		if (body.length > MAX_BODY_BYTES) {
			throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "jobspec_too_large", null,
					"a JobSpec may be at most " + MAX_BODY_BYTES + " bytes");
		}
		if (new String(body, StandardCharsets.UTF_8).isBlank()) {
			throw ApiException.badRequest("malformed_jobspec", null, "the request body is empty; send a JobSpec");
		}
		JobSpec spec = read(yaml ? YAML : JSON, body, yaml ? "YAML" : "JSON");
		refuseIfAny(JobSpecValidator.validate(spec, this.maxTimeout));
		return spec;
	}

	/** A 400 naming the first field (and how many more), when there is any error. */
	static void refuseIfAny(List<FieldError> errors) {
		if (!errors.isEmpty()) {
			FieldError first = errors.get(0);
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_jobspec", first.field(),
					describe(first) + ((errors.size() > 1) ? " (and " + (errors.size() - 1) + " more)" : ""), errors);
		}
	}

	private static boolean isYaml(String contentType) {
		MediaType type = mediaType(contentType);
		if (type != null && !type.isWildcardType() && !type.isWildcardSubtype()) {
			if (MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
				return false;
			}
			if (YAML_TYPES.stream().anyMatch((yaml) -> yaml.isCompatibleWith(type))) {
				return true;
			}
		}
		throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", null,
				"send the JobSpec as application/json or application/yaml (got " + contentType + ")");
	}

	private static MediaType mediaType(String contentType) {
		try {
			return (contentType != null) ? MediaType.parseMediaType(contentType) : null;
		}
		catch (InvalidMediaTypeException ex) {
			return null;
		}
	}

	private static JobSpec read(ObjectMapper mapper, byte[] body, String format) {
		try {
			JobSpec spec = mapper.readValue(body, JobSpec.class);
			if (spec == null) {
				throw ApiException.badRequest("malformed_jobspec", null, "a JobSpec must be a " + format + " object");
			}
			return spec;
		}
		catch (UnrecognizedPropertyException ex) {
			String field = path(ex);
			String known = ex.getKnownPropertyIds()
				.stream()
				.map(String::valueOf)
				.sorted()
				.collect(Collectors.joining(", "));
			throw invalid(field, "unknown field '" + ex.getPropertyName() + "' (known: " + known + ")");
		}
		catch (MismatchedInputException ex) {
			String field = path(ex);
			if (field.isEmpty()) {
				throw ApiException.badRequest("malformed_jobspec", null,
						"a JobSpec must be a " + format + " object: " + ex.getOriginalMessage());
			}
			throw invalid(field, "must be " + typeName(ex.getTargetType()));
		}
		catch (InputCoercionException ex) {
			// issue 12: a number past its field's type (nnodes: 99999999999999999999) is
			// the field's fault, not malformed input
			String field = path(ex.processor());
			throw invalid(field, "is out of range for " + typeName(ex.getTargetType()));
		}
		catch (StreamReadException ex) {
			throw ApiException.badRequest("malformed_jobspec", null,
					"not valid " + format + location(ex.getLocation()) + ": " + firstLine(ex.getOriginalMessage()));
		}
		catch (JacksonException ex) {
			throw ApiException.badRequest("malformed_jobspec", null,
					"not a valid " + format + " JobSpec: " + firstLine(ex.getOriginalMessage()));
		}
	}

	private static ApiException invalid(String field, String message) {
		FieldError error = new FieldError(field, message);
		return new ApiException(HttpStatus.BAD_REQUEST, "invalid_jobspec", field, describe(error), List.of(error));
	}

	private static String describe(FieldError error) {
		return (error.field() == null || error.field().isEmpty()) ? error.message()
				: error.field() + ": " + error.message();
	}

	/**
	 * The dotted snake_case path of the failing value, e.g. {@code resources.nnodes} or
	 * {@code env.SEED}.
	 */
	static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference ref : ex.getPath()) {
			if (ref.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
			}
			else if (ref.getIndex() >= 0) {
				path.append('[').append(ref.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	/**
	 * The dotted path of the value a parser stopped at (a stream error carries no
	 * databind path).
	 */
	static String path(JsonParser parser) {
		if (parser == null || parser.streamReadContext() == null) {
			return "";
		}
		StringBuilder path = new StringBuilder();
		for (String segment : parser.streamReadContext().pathAsPointer().toString().split("/")) {
			if (segment.isEmpty()) {
				continue;
			}
			if (segment.chars().allMatch(Character::isDigit) && parser.streamReadContext().inArray()) {
				path.append('[').append(segment).append(']');
			}
			else {
				path.append(path.isEmpty() ? "" : ".").append(segment.replace("~1", "/").replace("~0", "~"));
			}
		}
		return path.toString();
	}

	private static String typeName(Class<?> type) {
		if (type == null) {
			return "of another type";
		}
		return TYPE_NAMES.entrySet()
			.stream()
			.filter((e) -> e.getKey().isAssignableFrom(type))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse("an object");
	}

	private static String location(TokenStreamLocation location) {
		if (location == null || location.getLineNr() < 0) {
			return "";
		}
		return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
	}

	private static String firstLine(String message) {
		if (message == null) {
			return "unreadable";
		}
		String line = message.strip().lines().findFirst().orElse("").strip();
		if (line.isEmpty()) {
			return "unreadable";
		}
		return (line.length() > 300) ? line.substring(0, 300) + "..." : line;
	}

}
