package io.raylane.scheduler.topology;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.raylane.topics.Jobs;
import io.raylane.topics.Topics;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.partition.PoolPartitions;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: an input read in the partition that owns its pool is scheduled where it is
 * read; any other crosses the by-pool repartition topic first. The test driver reads
 * every input from partition 0, so a pool hashing to partition 0 takes the direct way and
 * any other pool the repartition: both must schedule alike.
 */
class PoolRoutingTopologyTest extends TopologyTestSupport {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	@ParameterizedTest
	@ValueSource(strings = { "train", "default" })
	void shouldScheduleAPoolsInputsWhicheverWayTheyCome(String pool) {
		// the way each pool takes in this driver
		boolean owned = PoolPartitions.of(pool, Topics.DEFAULT_PARTITIONS) == 0;
		assertThat(owned).isEqualTo(pool.equals("train"));

		this.scheduler.node(pool, "n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").pool(pool).gang(1, 4).acceptedAt(T0).submit());
		this.scheduler.submit(Jobs.aJob("rl-2").pool(pool).gang(1, 4).acceptedAt(T0.plusSeconds(1)).submit());
		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.DISPATCHED);
		assertThat(this.scheduler.job("rl-2").status()).isEqualTo(JobStatus.QUEUED);

		this.scheduler.observe(pool, "rl-1", "RUNNING", 1L, null, null, null);
		this.scheduler.observe(pool, "rl-1", "SUCCEEDED", 1L, 2L, 0, null);

		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.SUCCEEDED);
		JobView next = this.scheduler.job("rl-2");
		assertThat(next.status()).isEqualTo(JobStatus.DISPATCHED);
		assertThat(next.pool()).isEqualTo(pool);
		assertThat(this.scheduler.commands).extracting((c) -> c.jobId()).containsExactly("rl-1", "rl-2");
	}

	/**
	 * The two ways meet in one sub-topology: the task of partition p reads partition p of
	 * every input and of the repartition topic, so it holds the stores of exactly the
	 * pools hashing to p, whichever way their records came.
	 */
	@Test
	void shouldReadTheInputsAndTheRepartitionTopicInTheSubTopologyThatOwnsTheStores(@TempDir Path root) {
		TopologyDescription description = SchedulerTopology
			.build(new SchedulerTopology.Settings("raylane-scheduler", root, 32, Clock.systemUTC()),
					SchedulerTopology.StoreKind.IN_MEMORY)
			.describe();
		List<TopologyDescription.Subtopology> withStores = description.subtopologies()
			.stream()
			.filter((sub) -> sub.nodes()
				.stream()
				.anyMatch((node) -> node instanceof TopologyDescription.Processor processor
						&& processor.stores().contains(SchedulerTopology.STORE_JOBS)))
			.toList();
		assertThat(withStores).hasSize(1);
		Set<String> sources = withStores.get(0)
			.nodes()
			.stream()
			.filter(TopologyDescription.Source.class::isInstance)
			.flatMap((node) -> ((TopologyDescription.Source) node).topicSet().stream())
			.collect(Collectors.toSet());
		assertThat(sources).containsExactlyInAnyOrder(Topics.JOB_COMMANDS.name(), Topics.NODE_EVENTS.name(),
				Topics.RAY_OBSERVATIONS.name(), Topics.SUBMIT_RESULTS.name(),
				SchedulerTopology.REPARTITION_BY_POOL + "-repartition");
	}

}
