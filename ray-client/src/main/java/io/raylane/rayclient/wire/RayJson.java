package io.raylane.rayclient.wire;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON as Ray's dashboard speaks it: snake_case keys, nulls written (JobDetails always
 * has every key), unknown keys ignored when reading (newer Ray versions add fields).
 * Requests built from records with null fields should use {@link #requestMapper()}, which
 * omits nulls, because Ray refuses unknown keys and some versions do not know newer ones.
 */
public final class RayJson {

	private static final JsonMapper MAPPER = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.changeDefaultPropertyInclusion(
				incl -> incl.withValueInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS))
		.build();

	private static final JsonMapper REQUEST_MAPPER = MAPPER.rebuild()
		.changeDefaultPropertyInclusion(
				incl -> incl.withValueInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL))
		.build();

	private RayJson() {
	}

	/** For responses (the local head) and for reading Ray's answers. */
	public static JsonMapper mapper() {
		return MAPPER;
	}

	/** For request bodies sent to Ray: nulls omitted. */
	public static JsonMapper requestMapper() {
		return REQUEST_MAPPER;
	}

}
