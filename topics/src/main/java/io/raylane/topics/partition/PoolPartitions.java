package io.raylane.topics.partition;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.common.PartitionInfo;

import org.apache.kafka.common.utils.Utils;

/**
 * Where the scheduler's input records go: the partition that owns a pool. The scheduler
 * keeps each pool's state in the task of the partition its pool name hashes to, the way
 * Kafka's default partitioner places a record keyed by the pool name (murmur2 of the
 * UTF-8 bytes, made positive, modulo the partition count). An input record written to
 * that partition of its topic is scheduled where it is read; any other goes through the
 * scheduler's by-pool repartition topic first, one exactly-once hop more (issue 17).
 * Writers of the four input topics therefore name the partition; their record keys stay
 * the job or node id.
 */
public final class PoolPartitions {

	private PoolPartitions() {
	}

	/**
	 * @param pool the pool the record belongs to
	 * @param partitionCount how many partitions the topic has
	 * @return the partition that owns the pool, or null (the producer then places the
	 * record by its key) when the pool is missing: the scheduler dead-letters such a
	 * record wherever it arrives
	 */
	public static Integer of(String pool, int partitionCount) {
		if (pool == null || pool.isBlank() || partitionCount < 1) {
			return null;
		}
		return Utils.toPositive(Utils.murmur2(pool.getBytes(StandardCharsets.UTF_8))) % partitionCount;
	}

	/**
	 * @param pool the pool the record belongs to
	 * @param partitions the topic's partitions as the producer knows them
	 * ({@code partitionsFor(topic)})
	 * @return the partition that owns the pool, or null (placed by its key) without a
	 * pool
	 */
	public static Integer of(String pool, List<PartitionInfo> partitions) {
		return of(pool, (partitions != null) ? partitions.size() : 0);
	}

}
