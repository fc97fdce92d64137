package io.raylane.jobspec.checkpoint;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which step folders retention deletes: the newest {@code keep_last}, the tracked step
 * and every step a queued or running job resumes from survive (issue 13 item 4); a
 * cleanup keeping no checkpoint still keeps the pinned ones (issue 16).
 */
class RetentionPlanTest {

	static Stream<Arguments> plans() {
		return Stream.of(Arguments.of("keeps the newest two", Set.of(10, 20, 30, 40), 2, 40, Set.of(), List.of(10, 20)),
				Arguments.of("keeps the tracked step too", Set.of(10, 20, 30, 40, 50), 2, 20, Set.of(),
						List.of(10, 30)),
				Arguments.of("keeps a step a queued job resumes from", Set.of(10, 20, 30, 40), 1, 40, Set.of(20),
						List.of(10, 30)),
				Arguments.of("keeps the steps of several resuming jobs", Set.of(10, 20, 30, 40), 1, 40, Set.of(10, 30),
						List.of(20)),
				Arguments.of("a pin among the newest changes nothing", Set.of(10, 20, 30), 2, 30, Set.of(30),
						List.of(10)),
				Arguments.of("a pin on a step that is gone changes nothing", Set.of(10, 20, 30), 1, 30, Set.of(5),
						List.of(10, 20)),
				Arguments.of("without a tracker the pin still holds", Set.of(10, 20, 30), 1, null, Set.of(10),
						List.of(20)),
				Arguments.of("keep_last below 1 keeps one", Set.of(10, 20, 30), 0, null, Set.of(), List.of(10, 20)),
				Arguments.of("nothing to delete", Set.of(10, 20), 3, null, Set.of(20), List.of()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void plans(String scenario, Set<Integer> steps, int keepLast, Integer latest, Set<Integer> pinned,
			List<Integer> wantDeleted) {
		assertThat(RetentionPlan.toDelete(steps, keepLast, latest, pinned)).isEqualTo(wantDeleted);
	}

	@Test
	void shouldDeleteEveryStepButThePinnedOnesWhenNoneIsKept() {
		assertThat(RetentionPlan.allBut(Set.of(30, 10, 20), Set.of(20))).containsExactly(10, 30);
		assertThat(RetentionPlan.allBut(Set.of(10), Set.of())).containsExactly(10);
	}

	@Test
	void shouldReadStepFolderNamesAndTheTracker() {
		assertThat(CheckpointFolders.step("global_step_42")).contains(42);
		assertThat(CheckpointFolders.step("global_step_x")).isEmpty();
		assertThat(CheckpointFolders.step("global_step_1234567890")).as("more than 9 digits").isEmpty();
		assertThat(CheckpointFolders.trackerStep(" 7\n")).isEqualTo(7);
		assertThat(CheckpointFolders.trackerStep("seven")).isNull();
	}

}
