package io.raylane.topics.job;

import java.util.List;

/**
 * Training and validation data of a verl workload (parquet files, absolute paths under
 * the shared root).
 */
public record DataSpec(List<String> trainFiles, List<String> valFiles) {
}
