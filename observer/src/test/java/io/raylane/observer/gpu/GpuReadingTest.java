package io.raylane.observer.gpu;

import java.util.List;

import io.raylane.support.metrics.PrometheusText;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GpuReadingTest {

	@Test
	void shouldKeepOnlyTheGpuSeriesByGpuIndexWithoutNaN() {
		List<GpuReading> gpus = GpuReading.of(PrometheusText.parse("""
				ray_node_gpus_utilization{GpuIndex="0"} 90
				ray_node_gpus_utilization{GpuIndex="1"} NaN
				ray_node_gram_used{GpuIndex="0"} 1000
				ray_node_gram_used{GpuIndex="1"} 2000
				ray_node_gram_available{GpuIndex="0"} 70000
				ray_node_cpu_utilization 50
				"""));

		assertThat(gpus).containsExactly(new GpuReading("0", 90.0, 1000.0), new GpuReading("1", null, 2000.0));
	}

}
