package io.raylane.observer.gpu;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scraper against node fixtures on loopback addresses sharing one port, as Ray nodes
 * share their metrics port.
 */
class NodeMetricsScraperTest {

	final NodeMetricsFixture first = new NodeMetricsFixture("127.0.0.1", 0);

	final NodeMetricsFixture second = new NodeMetricsFixture("127.0.0.2", this.first.port());

	final AtomicInteger errors = new AtomicInteger();

	final NodeMetricsScraper scraper = new NodeMetricsScraper(this.first.port(), Duration.ofSeconds(1),
			this.errors::incrementAndGet);

	@AfterEach
	void stop() {
		this.first.close();
		this.second.close();
	}

	@Test
	void shouldReadTheGpusOfEveryNode() {
		this.first.gpu(0, 97.0, 70000).gpu(1, 3.0, 512);
		this.second.gpu(0, 50.0, 100);

		Map<String, List<GpuReading>> readings = this.scraper.scrape(List.of("127.0.0.1", "127.0.0.2"));

		assertThat(readings).containsOnly(
				Map.entry("127.0.0.1", List.of(new GpuReading("0", 97.0, 70000.0), new GpuReading("1", 3.0, 512.0))),
				Map.entry("127.0.0.2", List.of(new GpuReading("0", 50.0, 100.0))));
		assertThat(this.errors).hasValue(0);
	}

	@Test
	void shouldCountAFailedOrUnreachableNodeAndKeepTheOthers() {
		this.first.gpu(0, 97.0, 70000);
		this.second.answer(500);

		Map<String, List<GpuReading>> readings = this.scraper.scrape(List.of("127.0.0.1", "127.0.0.2", "127.0.0.3"));

		assertThat(readings).containsOnlyKeys("127.0.0.1");
		assertThat(this.errors).hasValue(2);
	}

}
