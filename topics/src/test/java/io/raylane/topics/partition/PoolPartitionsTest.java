package io.raylane.topics.partition;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PoolPartitionsTest {

	/**
	 * The scheduler's by-pool repartition places a record keyed by the pool name with
	 * Kafka's default partitioner: a writer that names the partition must land on the
	 * same one, or its records take the extra hop.
	 */
	@Test
	void shouldPickThePartitionKafkasDefaultPartitionerPicksForThePoolName() {
		List<String> pools = List.of("default", "a100", "h100-train", "gpu", "池", "x",
				"pool-with-a-long-name-0123456789");
		for (int partitions = 1; partitions <= 12; partitions++) {
			for (String pool : pools) {
				int kafka = BuiltInPartitioner.partitionForKey(pool.getBytes(StandardCharsets.UTF_8), partitions);
				assertThat(PoolPartitions.of(pool, partitions)).as(pool + " of " + partitions).isEqualTo(kafka);
			}
		}
	}

	@ParameterizedTest
	@CsvSource(nullValues = "null", value = { "null, 3", "'', 3", "'  ', 3", "default, 0" })
	void shouldLeaveTheRecordToItsKeyWithoutAPoolOrPartitions(String pool, int partitions) {
		assertThat(PoolPartitions.of(pool, partitions)).isNull();
	}

	@Test
	void shouldSpreadPoolsOverThePartitions() {
		assertThat(List.of("default", "a100", "h100-train", "gpu", "x", "y", "z", "inference")
			.stream()
			.map((pool) -> PoolPartitions.of(pool, 3))
			.distinct()).hasSize(3);
	}

}
