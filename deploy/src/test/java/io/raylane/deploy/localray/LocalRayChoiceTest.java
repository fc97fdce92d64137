package io.raylane.deploy.localray;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.raylane.deploy.localray.LocalRayChoice.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which Ray the all-in-one runs, from RAYLANE_LOCAL_RAY, RAYLANE_RAY_ADDRESS and the
 * {@code ray} CLI on PATH (issue 11 item 9).
 */
class LocalRayChoiceTest {

	private static final Path RAY = Path.of("/opt/ray/bin/ray");

	private static final RayCliProbe NONE = RayCliProbe.notOnPath();

	private static final RayCliProbe RAY_2_60_0 = RayCliProbe.answered(RAY, "ray, version 2.60.0\n");

	private static final RayCliProbe RAY_2_60_3 = RayCliProbe.answered(RAY,
			"2026-12-02 WARNING something\nray, version 2.60.3\n");

	private static final RayCliProbe RAY_2_49 = RayCliProbe.answered(RAY, "ray, version 2.49.2\n");

	private static final RayCliProbe RAY_2_6 = RayCliProbe.answered(RAY, "ray, version 2.6.0\n");

	private static final RayCliProbe NO_VERSION = RayCliProbe.answered(RAY, "usage: ray ...\n");

	private static final RayCliProbe BROKEN = RayCliProbe.failed(RAY, "exit 1: ModuleNotFoundError: No module 'ray'");

	static Stream<Arguments> choices() {
		return Stream.of(
				// scenario, RAYLANE_LOCAL_RAY, RAYLANE_RAY_ADDRESS set, ray on PATH,
				// want, want
				// in reason
				Arguments.of("an address wins over auto", "auto", true, RAY_2_60_0, Kind.USE_ADDRESS,
						"RAYLANE_RAY_ADDRESS"),
				Arguments.of("an address wins over standin", "standin", true, NONE, Kind.USE_ADDRESS,
						"RAYLANE_RAY_ADDRESS"),
				Arguments.of("real and an address contradict", "real", true, RAY_2_60_0, Kind.ERROR,
						"unset one of them"),
				Arguments.of("unset means auto: 2.60 on PATH runs it", null, false, RAY_2_60_0, Kind.REAL,
						"ray 2.60.0 at /opt/ray/bin/ray"),
				Arguments.of("auto runs any 2.60 patch release", "auto", false, RAY_2_60_3, Kind.REAL, "2.60.3"),
				Arguments.of("auto without ray on PATH: the stand-in", "auto", false, NONE, Kind.STANDIN,
						"no 'ray' on PATH"),
				Arguments.of("auto with another version: the stand-in", "AUTO", false, RAY_2_49, Kind.STANDIN,
						"is 2.49.2, Raylane supports 2.60.x"),
				Arguments.of("2.6 is not 2.60", "auto", false, RAY_2_6, Kind.STANDIN, "is 2.6.0"),
				Arguments.of("auto with a ray that names no version: the stand-in", "auto", false, NO_VERSION,
						Kind.STANDIN, "named no version"),
				Arguments.of("auto with a broken ray: the stand-in", "auto", false, BROKEN, Kind.STANDIN,
						"gave no answer: exit 1"),
				Arguments.of("real with 2.60 on PATH", "real", false, RAY_2_60_0, Kind.REAL, "RAYLANE_LOCAL_RAY=real"),
				Arguments.of("real without ray on PATH fails, saying how to fix it", "real", false, NONE, Kind.ERROR,
						"RAYLANE_LOCAL_RAY=real, but there is no 'ray' on PATH; install Ray 2.60.x"),
				Arguments.of("real with another version fails", " Real ", false, RAY_2_49, Kind.ERROR,
						"is 2.49.2, Raylane supports 2.60.x"),
				Arguments.of("real with a broken ray fails", "real", false, BROKEN, Kind.ERROR, "ModuleNotFoundError"),
				Arguments.of("standin ignores a Ray on PATH", "standin", false, RAY_2_60_0, Kind.STANDIN,
						"RAYLANE_LOCAL_RAY=standin"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("choices")
	void choose(String scenario, String setting, boolean addressGiven, RayCliProbe onPath, Kind wantKind,
			String wantInReason) {
		LocalRayChoice choice = LocalRayChoice.decide(LocalRayMode.parse(setting), addressGiven, () -> onPath);

		assertThat(choice.kind()).isEqualTo(wantKind);
		assertThat(choice.reason()).contains(wantInReason);
		assertThat(choice.rayCli()).isEqualTo((wantKind == Kind.REAL) ? RAY : null);
	}

	@Test
	void shouldAskTheCliOnlyWhenTheAnswerDependsOnIt() {
		AtomicInteger probes = new AtomicInteger();
		Supplier<RayCliProbe> probe = () -> {
			probes.incrementAndGet();
			return RAY_2_60_0;
		};

		LocalRayChoice.decide(LocalRayMode.STANDIN, false, probe);
		LocalRayChoice.decide(LocalRayMode.AUTO, true, probe);
		LocalRayChoice.decide(LocalRayMode.REAL, true, probe);

		assertThat(probes).hasValue(0);
	}

	@Test
	void shouldRefuseAnUnknownMode() {
		assertThatThrownBy(() -> LocalRayMode.parse("docker"))
			.hasMessage("RAYLANE_LOCAL_RAY must be auto, real or standin, not 'docker'");
		assertThat(LocalRayMode.parse("")).isEqualTo(LocalRayMode.AUTO);
	}

}
