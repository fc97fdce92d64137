package io.raylane.topics.json;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reflective constructor call reads exactly what Jackson's own call reads, and fails
 * as it fails: each case is read by a mapper without the module and one with it.
 */
class ReflectiveCreatorsTest {

	/** Absent primitives read as their defaults, as in {@link Json}'s dialect. */
	private static final JsonMapper PLAIN = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.build();

	private static final JsonMapper REFLECTIVE = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.addModule(new ReflectiveCreators())
		.build();

	/** Fixture: a record with many components, nested records, lists and maps. */
	record Row(String id, int count, long size, boolean flag, Double ratio, List<String> nodes, Map<String, String> env,
			Inner inner) {
	}

	/** Fixture: a nested record. */
	record Inner(String name, Integer limit) {
	}

	/** Fixture: a record whose constructor refuses a value. */
	record Checked(String name) {

		Checked {
			if (name == null || name.isBlank()) {
				throw new IllegalArgumentException("name must not be blank");
			}
		}

	}

	/** Fixture: a value read through a static factory, which the module leaves alone. */
	static final class FromFactory {

		final String value;

		private FromFactory(String value) {
			this.value = value;
		}

		@JsonCreator
		static FromFactory of(@JsonProperty("value") String value) {
			return new FromFactory("made:" + value);
		}

	}

	@Test
	void readsARecordExactlyAsJacksonsOwnCall() {
		String json = "{\"id\":\"j1\",\"count\":3,\"size\":12345678901,\"flag\":true,\"ratio\":0.5,"
				+ "\"nodes\":[\"a\",\"b\"],\"env\":{\"K\":\"V\"},\"inner\":{\"name\":\"n\",\"limit\":7}}";
		Row plain = PLAIN.readValue(json, Row.class);
		Row reflective = REFLECTIVE.readValue(json, Row.class);
		assertThat(reflective).isEqualTo(plain);
		assertThat(reflective.inner()).isEqualTo(new Inner("n", 7));
	}

	@Test
	void missingPropertiesGetTheSameDefaults() {
		String json = "{\"id\":\"j1\"}";
		assertThat(REFLECTIVE.readValue(json, Row.class)).isEqualTo(PLAIN.readValue(json, Row.class))
			.isEqualTo(new Row("j1", 0, 0L, false, null, null, null, null));
	}

	@Test
	void aConstructorThatThrowsFailsWithJacksonsOwnMessage() {
		String json = "{\"name\":\" \"}";
		Throwable plain = catchFailure(PLAIN, json);
		Throwable reflective = catchFailure(REFLECTIVE, json);
		assertThat(reflective).isInstanceOf(DatabindException.class).hasMessage(plain.getMessage());
		assertThat(reflective.getMessage()).contains("name must not be blank");
		assertThat(reflective.getCause()).isInstanceOf(IllegalArgumentException.class);
		// and the constructor was called through the module, not Jackson's method handle
		assertThat(calledThroughModule(reflective.getCause())).isTrue();
		assertThat(calledThroughModule(plain.getCause())).isFalse();
	}

	@Test
	void aFactoryCreatorIsLeftToJackson() {
		assertThat(REFLECTIVE.readValue("{\"value\":\"x\"}", FromFactory.class).value).isEqualTo("made:x");
	}

	@Test
	void theSharedMapperUsesIt() {
		assertThat(Json.read("{\"name\":\"n\",\"limit\":2}".getBytes(), Inner.class)).isEqualTo(new Inner("n", 2));
		assertThatThrownBy(() -> Json.read("{\"name\":\"\"}".getBytes(), Checked.class))
			.hasMessageContaining("name must not be blank");
	}

	private static boolean calledThroughModule(Throwable thrownByConstructor) {
		return java.util.Arrays.stream(thrownByConstructor.getStackTrace())
			.anyMatch((frame) -> frame.getClassName().equals(ReflectiveCreators.Reflective.class.getName()));
	}

	private static Throwable catchFailure(JsonMapper mapper, String json) {
		try {
			mapper.readValue(json, Checked.class);
		}
		catch (RuntimeException ex) {
			return ex;
		}
		throw new AssertionError("expected " + json + " to fail");
	}

}
