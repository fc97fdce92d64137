package io.raylane.observer.diagnose;

import java.time.Instant;

import io.raylane.topics.job.Progress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressReaderTest {

	static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");

	static final Instant T2 = T1.plusSeconds(30);

	@Test
	void shouldReadTheLastStepAndTheTotal() {
		String log = "(TaskRunner pid=1) Total training steps: 200\n"
				+ "(TaskRunner pid=1) step:1 - actor/pg_loss:0.1 - timing_s/step:3.2\n"
				+ "(TaskRunner pid=1) local_global_step_folder: /s/jobs/j/checkpoints/global_step_10\n"
				+ "(TaskRunner pid=1) step:12 - actor/pg_loss:0.05\n";

		assertThat(ProgressReader.read(log, T1, null)).contains(new Progress(12, 200, T1));
	}

	@Test
	void shouldKeepTheTimeOfTheLastMoveWhileNothingMoves() {
		Progress first = ProgressReader.read("Total training steps: 5\nstep:2 - a:1\n", T1, null).orElseThrow();

		assertThat(ProgressReader.read("Total training steps: 5\nstep:2 - a:1\n", T2, first)).contains(first);
		assertThat(ProgressReader.read("Total training steps: 5\nstep:2 - a:1\nstep:3 - a:1\n", T2, first))
			.contains(new Progress(3, 5, T2));
	}

	@Test
	void shouldSayNothingBeforeTheFirstStepLine() {
		assertThat(ProgressReader.read("Connecting to existing Ray cluster\n", T1, null)).isEmpty();
		assertThat(ProgressReader.read("timing_s/step:3.2 and global_step:4\n", T1, null)).isEmpty();
	}

}
