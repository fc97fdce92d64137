package io.raylane.api.usage;

import java.time.Instant;

import io.raylane.api.errors.ApiException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UsageParametersTest {

	static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

	@Test
	void shouldDefaultToEverythingUntilNowGroupedByUser() {
		assertThat(UsageWindow.parse(null, "", NOW)).isEqualTo(new UsageWindow(Instant.EPOCH, NOW));
		assertThat(GroupBy.parse(null)).isEqualTo(GroupBy.USER);
	}

	@Test
	void shouldReadInstantsOffsetsAndPlainDatesAsUtcMidnight() {
		UsageWindow window = UsageWindow.parse("2026-11-01", "2026-11-02T08:00:00+02:00", NOW);

		assertThat(window.from()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
		assertThat(window.to()).isEqualTo(Instant.parse("2026-11-02T06:00:00Z"));
		assertThat(UsageWindow.parse("2026-11-01T00:00:00.250Z", null, NOW).from())
			.isEqualTo(Instant.parse("2026-11-01T00:00:00.250Z"));
	}

	@Test
	void shouldReadGroupByCaseInsensitively() {
		assertThat(GroupBy.parse("Pool")).isEqualTo(GroupBy.POOL);
		assertThat(GroupBy.parse("job")).isEqualTo(GroupBy.JOB);
	}

	@Test
	void shouldRefuseBadParametersNamingTheField() {
		assertRefused(() -> GroupBy.parse("team"), "group_by");
		assertRefused(() -> UsageWindow.parse("yesterday", null, NOW), "from");
		assertRefused(() -> UsageWindow.parse(null, "2026-13-01", NOW), "to");
		assertRefused(() -> UsageWindow.parse("2026-11-02", "2026-11-01", NOW), "from");
		assertRefused(() -> UsageWindow.parse("2026-11-01", "2026-11-01", NOW), "from");
		assertRefused(() -> UsageWindow.parse("2027-01-01", null, NOW), "from");
	}

	@Test
	void shouldRefuseInstantsPastWhatAccountingCountsInsteadOfOverflowing() {
		// issue 12 item 1: these parse as ISO-8601 but overflow epoch milliseconds (500)
		assertRefused(() -> UsageWindow.parse(null, "+999999999-12-31T23:59:59Z", NOW), "to");
		assertRefused(() -> UsageWindow.parse("-999999999-01-01T00:00:00Z", null, NOW), "from");
		assertRefused(() -> UsageWindow.parse("1969-12-31", null, NOW), "from");
		assertThat(UsageWindow.parse(null, "9999-12-31T23:59:59Z", NOW).to())
			.isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
	}

	private static void assertRefused(Runnable parse, String field) {
		assertThatThrownBy(parse::run).isInstanceOfSatisfying(ApiException.class, (ex) -> {
			assertThat(ex.status().value()).isEqualTo(400);
			assertThat(ex.code()).isEqualTo("invalid_parameter");
			assertThat(ex.field()).isEqualTo(field);
		});
	}

}
