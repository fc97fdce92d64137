package io.raylane.observer.gpu;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GpuAttributionTest {

	static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

	@Test
	void shouldGiveAJobOnASharedNodeTheBusiestGpusSoItNeverLooksIdle() {
		Map<String, List<GpuReading>> node = Map.of("127.10.0.2",
				List.of(gpu("0", 0, 100), gpu("1", 95, 60000), gpu("2", 0, 100), gpu("3", 85, 50000)));

		GpuSample sample = GpuAttribution.sample(2, List.of("127.10.0.2"), node, T).orElseThrow();

		assertThat(sample).isEqualTo(new GpuSample(T, 90.0, 60000.0));
	}

	@Test
	void shouldAverageOverTheHeldGpusOfEveryNodeOfAGang() {
		Map<String, List<GpuReading>> nodes = Map.of("127.10.0.2", List.of(gpu("0", 100, 10), gpu("1", 50, 20)),
				"127.10.0.3", List.of(gpu("0", 30, 40), gpu("1", 20, 30)), "127.10.0.9", List.of(gpu("0", 100, 99999)));

		GpuSample sample = GpuAttribution.sample(4, List.of("127.10.0.2", "127.10.0.3"), nodes, T).orElseThrow();

		assertThat(sample.utilizationPercent()).isEqualTo(50.0);
		assertThat(sample.memoryMib()).isEqualTo(40.0);
	}

	@Test
	void shouldUseTheScrapedNodesOnlyAndNoSampleWithoutAny() {
		Map<String, List<GpuReading>> one = Map.of("127.10.0.2", List.of(gpu("0", 10, 5), gpu("1", 30, 7)));

		assertThat(GpuAttribution.sample(4, List.of("127.10.0.2", "127.10.0.3"), one, T))
			.contains(new GpuSample(T, 20.0, 7.0));
		assertThat(GpuAttribution.sample(4, List.of("127.10.0.3"), one, T)).isEmpty();
		assertThat(GpuAttribution.sample(4, List.of(), one, T)).isEmpty();
	}

	@Test
	void shouldLeaveMemoryUnknownWhenNoNodeReportsIt() {
		Map<String, List<GpuReading>> node = Map.of("127.10.0.2", List.of(new GpuReading("0", 3.0, null)));

		assertThat(GpuAttribution.sample(1, List.of("127.10.0.2"), node, T)).contains(new GpuSample(T, 3.0, null));
	}

	static GpuReading gpu(String index, double utilization, double memory) {
		return new GpuReading(index, utilization, memory);
	}

}
