package io.raylane.scheduler.topology;

import java.time.Instant;
import java.util.Locale;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keys of the queue index and the deadline index are written without a Formatter
 * (issue 17) and must stay byte for byte what {@code String.format} wrote: stores and
 * changelogs written by earlier versions are read with them.
 */
class StoreKeysTest {

	@ParameterizedTest
	@CsvSource({ "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000000001Z", "2026-01-01T00:00:00Z",
			"2026-12-03T12:34:56.789123456Z", "2262-04-11T23:47:16.854775807Z", "+1000000-01-01T00:00:00Z",
			"1969-12-31T23:59:59.5Z" })
	void queueKeysAreWhatStringFormatWrote(String at) {
		Instant acceptedAt = Instant.parse(at);
		String formatted = String.format(Locale.ROOT, "%s|%019d.%09d|%s", "gpu-pool",
				Math.max(0, acceptedAt.getEpochSecond()), acceptedAt.getNano(), "job-1");
		assertThat(QueueKeys.of("gpu-pool", acceptedAt, "job-1")).isEqualTo(formatted);
	}

	@ParameterizedTest
	@CsvSource({ "1970-01-01T00:00:00Z", "2026-01-01T00:00:00.123Z", "2026-12-03T12:34:56.789123456Z",
			"+292278994-08-17T07:12:55.807Z", "1969-12-31T23:59:59Z" })
	void deadlineKeysAreWhatStringFormatWrote(String at) {
		Instant deadline = Instant.parse(at);
		String formatted = String.format(Locale.ROOT, "%019d|%s", Math.max(0, deadline.toEpochMilli()), "job-1");
		assertThat(Timers.key(deadline, "job-1")).isEqualTo(formatted);
		assertThat(Timers.jobId(Timers.key(deadline, "job-1"))).isEqualTo("job-1");
	}

	@ParameterizedTest
	@CsvSource({ "0, 19, 0000000000000000000", "42, 9, 000000042", "999999999, 9, 999999999",
			"9223372036854775807, 19, 9223372036854775807", "1234567890, 3, 1234567890" })
	void zeroPadding(long value, int width, String expected) {
		assertThat(QueueKeys.zeroPadded(value, width)).isEqualTo(expected);
	}

}
