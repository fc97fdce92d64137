package io.raylane.topics.job;

import java.util.List;

import io.raylane.topics.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** verl's data files as users write them: one path, or a list. */
class DataSpecTest {

	@Test
	void shouldReadOnePathAsAListOfOne() {
		DataSpec json = Json.read("{\"train_files\": \"/s/train.parquet\", \"val_files\": \"/s/val.parquet\"}",
				DataSpec.class);
		DataSpec yaml = Json.yaml()
			.readValue("train_files: /s/train.parquet\nval_files: [/s/a.parquet, /s/b.parquet]\n", DataSpec.class);

		assertThat(json).isEqualTo(new DataSpec(List.of("/s/train.parquet"), List.of("/s/val.parquet")));
		assertThat(yaml).isEqualTo(new DataSpec(List.of("/s/train.parquet"), List.of("/s/a.parquet", "/s/b.parquet")));
	}

	@Test
	void shouldWriteAList() {
		assertThat(Json.writeString(new DataSpec(List.of("/s/train.parquet"), null)))
			.isEqualTo("{\"train_files\":[\"/s/train.parquet\"]}");
	}

}
