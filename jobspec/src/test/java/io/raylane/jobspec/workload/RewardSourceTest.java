package io.raylane.jobspec.workload;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which keywords the overrides add to verl's call of the reward function (issue 13). */
class RewardSourceTest {

	static Stream<Arguments> overrides() {
		return Stream.of(Arguments.of("no overrides", List.of(), List.of()),
				Arguments.of("0.9 reward_kwargs", List.of("++reward.custom_reward_function.reward_kwargs.strict=true"),
						List.of("strict")),
				Arguments.of("0.7 reward_kwargs",
						List.of("+custom_reward_function.reward_kwargs.a=1",
								"custom_reward_function.reward_kwargs.b=2"),
						List.of("a", "b")),
				Arguments.of("the naive manager named", List.of("reward.reward_manager.name=naive"), List.of()),
				Arguments.of("0.7's dapo manager", List.of("reward_model.reward_manager=dapo"), List.of()),
				Arguments.of("0.7's batch manager calls with other names", List.of("reward_model.reward_manager=batch"),
						null),
				Arguments.of("a manager from a file", List.of("reward.reward_manager.source=importlib"), null),
				Arguments.of("reward_kwargs as a whole dict",
						List.of("++reward.custom_reward_function.reward_kwargs={strict:true}"), null),
				Arguments.of("unrelated keys", List.of("trainer.total_epochs=2", "reward.num_workers=4"), List.of()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void overrides(String scenario, List<String> overrides, List<String> want) {
		assertThat(RewardSource.extraKeywords(overrides)).isEqualTo(want);
	}

	@org.junit.jupiter.api.Test
	void shouldReadNoOverridesAsNone() {
		assertThat(RewardSource.extraKeywords(null)).isEmpty();
	}

}
