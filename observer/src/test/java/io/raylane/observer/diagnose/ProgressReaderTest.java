package io.raylane.observer.diagnose;

import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.raylane.topics.job.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Progress from driver log tails, with the lines verl really prints
 * (docs/reference/verl.md §4): PPO/GRPO's {@code print(f"Total training steps: …")} from
 * the TaskRunner actor (Ray prefixes it), SFT's INFO record through Hydra's job logging,
 * and {@code concat_dict_to_str}'s {@code step:N - key:value} lines.
 */
class ProgressReaderTest {

	static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");

	static final Instant T2 = T1.plusSeconds(30);

	static final String SFT_TOTAL = "[2026-01-01 00:00:00,000][/venv/lib/python3.11/site-packages/verl/trainer/"
			+ "sft_trainer_ray.py][INFO] - [Rank 0] Total training steps: 80,\n";

	static Stream<Arguments> tails() {
		Progress before = new Progress(7, 200, T1, Map.of("actor/pg_loss", 0.2));
		return Stream.of(
				Arguments.of("PPO through Ray's actor prefix",
						"(TaskRunner pid=1) Total training steps: 200\n"
								+ "(TaskRunner pid=1) step:1 - actor/pg_loss:0.1 - timing_s/step:3.2\n"
								+ "(TaskRunner pid=1) local_global_step_folder: /s/jobs/j/checkpoints/global_step_10\n"
								+ "(TaskRunner pid=1) step:12 - actor/pg_loss:-0.05 - critic/score/mean:0.75\n",
						null, new Progress(12, 200, T1, Map.of("critic/score/mean", 0.75, "actor/pg_loss", -0.05))),
				Arguments.of("SFT's INFO line and train metrics",
						SFT_TOTAL + "step:3 - train/loss:1.25 - train/lr:1e-05\n", null,
						new Progress(3, 80, T1, Map.of("train/loss", 1.25, "train/lr", 1e-05))),
				Arguments.of("the total scrolled out of the tail", "(TaskRunner pid=1) step:8 - actor/pg_loss:0.3\n",
						before, new Progress(8, 200, T2, Map.of("actor/pg_loss", 0.3))),
				Arguments.of("a tail without step lines keeps the last step", "Traceback (most recent call last):\n",
						before, before),
				Arguments.of("nan and strings are left out", "step:2 - a:nan - b:inf - c:True - d:x - e:3\n", null,
						new Progress(2, null, T1, Map.of("c", 1.0, "e", 3.0))),
				Arguments.of("timing and global_step are not steps", "timing_s/step:3.2 and global_step:4\n", null,
						null),
				Arguments.of("nothing yet", "Connecting to existing Ray cluster\n", null, null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void tails(String scenario, String tail, Progress previous, Progress want) {
		Instant now = (previous != null) ? T2 : T1;

		assertThat(ProgressReader.read(tail, now, previous).orElse(null)).isEqualTo(want);
	}

	@Test
	void shouldKeepTheTimeOfTheLastMoveWhileNothingMoves() {
		Progress first = ProgressReader.read("Total training steps: 5\nstep:2 - a:1\n", T1, null).orElseThrow();

		assertThat(ProgressReader.read("Total training steps: 5\nstep:2 - a:1\n", T2, first)).contains(first);
		assertThat(ProgressReader.read("step:3 - a:1\n", T2, first)).contains(new Progress(3, 5, T2, Map.of("a", 1.0)));
	}

	@Test
	void shouldKeepABoundedNumberOfMetricsThePreferredFirst() {
		String pairs = IntStream.range(0, 100).mapToObj((i) -> "m" + i + ":" + i).collect(Collectors.joining(" - "));

		Progress progress = ProgressReader.read("step:1 - " + pairs + " - critic/score/mean:0.5\n", T1, null)
			.orElseThrow();

		assertThat(progress.metrics()).hasSize(ProgressReader.MAX_METRICS);
		assertThat(progress.metrics().keySet().iterator().next()).isEqualTo("critic/score/mean");
	}

}
