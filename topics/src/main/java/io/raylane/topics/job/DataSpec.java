package io.raylane.topics.job;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * Training and validation data of a verl workload (parquet files, absolute paths under
 * the shared root). Each takes one path or a list of paths, as verl's
 * {@code data.train_files} / {@code data.val_files} do (a researcher writes one string);
 * it is always written back as a list.
 */
public record DataSpec(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> trainFiles,
		@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> valFiles) {
}
