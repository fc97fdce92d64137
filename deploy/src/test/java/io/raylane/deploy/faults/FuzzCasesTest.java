package io.raylane.deploy.faults;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.raylane.topics.Topics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fuzz cases are reproducible and each malformed: every record fails its topic's own
 * deserializer, which is what makes the reader dead-letter it.
 */
class FuzzCasesTest {

	@Test
	void shouldDrawTheSameCasesFromTheSameSeedAndEveryKind() {
		List<FuzzCases.Request> requests = new java.util.ArrayList<>();
		FuzzCases.requests(5, 90).forEach(requests::add);

		assertThat(requests).hasSize(90)
			.extracting(FuzzCases.Request::kind)
			.contains("wrong type", "huge value", "unknown field", "broken JSON", "broken YAML", "deep nesting",
					"bad unicode", "oversize", "wrong content type");
		assertThat(FuzzCases.requests(5, 90)).extracting((r) -> new String(r.body(), StandardCharsets.ISO_8859_1))
			.isEqualTo(requests.stream().map((r) -> new String(r.body(), StandardCharsets.ISO_8859_1)).toList());
	}

	@Test
	void shouldMakeRecordsThatTheirTopicsCannotRead() {
		List<String> readable = new java.util.ArrayList<>();
		for (FuzzCases.Record record : FuzzCases.records(11, 600)) {
			var topic = Topics.all().stream().filter((t) -> t.name().equals(record.topic())).findFirst().orElseThrow();
			try {
				Object value = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
				// JSON's null reads as no record: the reader must dead-letter that too
				if (value != null) {
					readable.add(record.kind() + " " + record.topic() + " -> " + value);
				}
			}
			catch (RuntimeException expected) {
				// malformed, as meant
			}
		}
		assertThat(readable).isEmpty();
	}

}
