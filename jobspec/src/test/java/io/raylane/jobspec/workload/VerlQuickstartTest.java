package io.raylane.jobspec.workload;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.raylane.jobspec.JobSpecValidator;
import io.raylane.topics.job.JobSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 item 3: verl's own PPO quickstart, translated into a JobSpec as a new user
 * would (test resources {@code jobspecs/}), is accepted unchanged apart from paths, and
 * the command Raylane composes says every setting of the quickstart with the same value
 * (the keys Raylane owns aside). VerlHydraComposeTest composes both with verl's config.
 */
class VerlQuickstartTest {

	static final List<String> FIXTURES = VerlQuickstart.FIXTURES;

	@ParameterizedTest(name = "{0}")
	@FieldSource("FIXTURES")
	void shouldAcceptTheQuickstartUnchangedApartFromPaths(String fixture) {
		JobSpec spec = VerlQuickstart.spec(fixture);

		assertThat(JobSpecValidator.validate(spec, "alice", Path.of(VerlQuickstart.ROOT))).isEmpty();
		assertThat(spec.data().trainFiles()).containsExactly(VerlQuickstart.DATA + "/train.parquet");
		assertThat(VerlArgs.version(spec)).isEqualTo(VerlVersion.DEFAULT);
	}

	@ParameterizedTest(name = "{0}")
	@FieldSource("FIXTURES")
	void shouldComposeEverySettingOfTheQuickstartOnce(String fixture) {
		List<String> composed = WorkloadComposer.overrides(VerlQuickstart.spec(fixture), VerlQuickstart.CONTEXT);
		Map<String, String> byKey = settings(composed);

		assertThat(byKey).as("each key once").hasSameSizeAs(composed);
		settings(VerlQuickstart.COMMAND).forEach((key, value) -> {
			if (!VerlQuickstart.OWNED.contains(key)) {
				assertThat(byKey).containsKey(key);
				assertThat(same(byKey.get(key), value)).as(key + "=" + byKey.get(key) + " says " + value).isTrue();
			}
		});
	}

	private static Map<String, String> settings(List<String> overrides) {
		Map<String, String> settings = new LinkedHashMap<>();
		overrides.forEach((o) -> {
			Override parsed = Override.parse(o).orElseThrow();
			settings.put(parsed.key(), parsed.value());
		});
		return settings;
	}

	/** The same value as Hydra reads it: numbers by value (1e-6 = 0.000001). */
	private static boolean same(String a, String b) {
		try {
			return new BigDecimal(a).compareTo(new BigDecimal(b)) == 0;
		}
		catch (NumberFormatException ex) {
			return a.equals(b);
		}
	}

}
