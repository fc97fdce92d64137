package io.raylane.deploy.faults;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChaosPlanTest {

	static final List<String> SERVICES = List.of("a", "b", "c", "d", "e");

	@Test
	void shouldKillEveryKindInTheFirstRoundAndStayInTheWindow() {
		ChaosPlan plan = ChaosPlan.draw(7, Duration.ofSeconds(60), 12, SERVICES, Duration.ofSeconds(20),
				Duration.ofSeconds(8));

		assertThat(plan.kills()).hasSize(12);
		assertThat(plan.kills().subList(0, 5)).extracting(ChaosPlan.Kill::service)
			.containsExactlyInAnyOrderElementsOf(SERVICES);
		assertThat(plan.kills()).extracting(ChaosPlan.Kill::at)
			.isSorted()
			.allSatisfy((at) -> assertThat(at).isLessThan(Duration.ofSeconds(60)));
		assertThat(plan.kills()).extracting(ChaosPlan.Kill::down)
			.allSatisfy((down) -> assertThat(down).isBetween(Duration.ofMillis(500), Duration.ofSeconds(5)));
		assertThat(plan.outageAt()).isBetween(Duration.ofSeconds(23), Duration.ofSeconds(36));
		assertThat(plan.flapsAt()).hasSize(2).first().isEqualTo(Duration.ZERO);
	}

	@Test
	void shouldDrawTheSamePlanFromTheSameSeed() {
		assertThat(ChaosPlan.draw(3, Duration.ofSeconds(60), 8, SERVICES, Duration.ofSeconds(20), Duration.ZERO))
			.isEqualTo(ChaosPlan.draw(3, Duration.ofSeconds(60), 8, SERVICES, Duration.ofSeconds(20), Duration.ZERO));
	}

	@Test
	void shouldDrawJobsOfEverySizeAndNoZeroGpuGang() {
		List<JobMix.Job> jobs = JobMix.draw(1, 400, List.of("u1", "u2"));

		assertThat(jobs).extracting(JobMix.Job::gpusPerNode).contains(0, 1, 2, 4);
		assertThat(jobs).extracting(JobMix.Job::nnodes).contains(1, 2);
		assertThat(jobs).filteredOn((j) -> j.gpusPerNode() == 0).allSatisfy((j) -> assertThat(j.nnodes()).isOne());
		assertThat(jobs).extracting(JobMix.Job::user).contains("u1", "u2");
		assertThat(JobMix.draw(1, 400, List.of("u1", "u2"))).isEqualTo(jobs);
	}

}
