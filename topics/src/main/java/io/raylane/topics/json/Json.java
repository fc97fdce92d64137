package io.raylane.topics.json;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.cfg.MutableCoercionConfig;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The one JSON dialect of Raylane's records: snake_case names, ISO-8601 instants, unknown
 * fields ignored (records only ever gain fields), nulls omitted. An empty or blank string
 * is no number and no boolean: Jackson would read it as null (the field unset, its
 * default applied), so {@code "nnodes": ""} fails like any other wrong type (issue 12's
 * fuzz).
 */
public final class Json {

	private static final JsonMapper MAPPER = dialect()
		// constructors called by reflection, not a method handle spread per call (issue
		// 17)
		.addModule(new ReflectiveCreators())
		// instants written and read without DateTimeFormatter's general path, the same
		// text (issue 17 goal 4)
		.addModule(new FastInstants())
		.build();

	// the same rules for the YAML a JobSpec may be written in
	private static final YAMLMapper YAML = rules(YAMLMapper.builder()).build();

	private Json() {
	}

	/**
	 * A blank string counts as empty, and an empty one fails instead of becoming null.
	 */
	private static void refuseEmptyStrings(MutableCoercionConfig config) {
		config.setAcceptBlankAsEmpty(true).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
	}

	/**
	 * The dialect's rules alone, without the modules that only make it faster: what the
	 * tests compare those modules with.
	 */
	static JsonMapper.Builder dialect() {
		return rules(JsonMapper.builder()).disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
	}

	/**
	 * The rules JSON and YAML share: names, unknown fields, instants, coercions, nulls.
	 */
	private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B rules(B builder) {
		return builder.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
			.withCoercionConfig(LogicalType.Integer, Json::refuseEmptyStrings)
			.withCoercionConfig(LogicalType.Float, Json::refuseEmptyStrings)
			.withCoercionConfig(LogicalType.Boolean, Json::refuseEmptyStrings)
			.changeDefaultPropertyInclusion(
					incl -> incl.withValueInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL));
	}

	/** The shared mapper; thread-safe. */
	public static JsonMapper mapper() {
		return MAPPER;
	}

	/** A YAML mapper with the same naming rules, for JobSpecs written as YAML. */
	public static YAMLMapper yaml() {
		return YAML;
	}

	public static byte[] write(Object value) {
		return MAPPER.writeValueAsBytes(value);
	}

	public static String writeString(Object value) {
		return MAPPER.writeValueAsString(value);
	}

	/**
	 * Reads a value, throwing {@link JacksonException} with the offending path when it
	 * cannot.
	 */
	public static <T> T read(byte[] bytes, Class<T> type) {
		return MAPPER.readValue(bytes, type);
	}

	public static <T> T read(String text, Class<T> type) {
		return MAPPER.readValue(text, type);
	}

}
