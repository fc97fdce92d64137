package io.raylane.observer.gpu;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextTest {

	@Test
	void shouldReadNamesLabelsValuesAndTimestampsAndSkipComments() {
		List<PrometheusText.Sample> samples = PrometheusText.parse("""
				# HELP ray_node_gpus_utilization The GPU utilization
				# TYPE ray_node_gpus_utilization gauge
				ray_node_gpus_utilization{ip="10.0.0.7",GpuIndex="0",GpuDeviceName="NVIDIA A100"} 87.5
				ray_node_gram_used{ip="10.0.0.7",GpuIndex="0"} 61440 1767225600000

				up 1
				""");

		assertThat(samples).containsExactly(
				new PrometheusText.Sample("ray_node_gpus_utilization",
						Map.of("ip", "10.0.0.7", "GpuIndex", "0", "GpuDeviceName", "NVIDIA A100"), 87.5),
				new PrometheusText.Sample("ray_node_gram_used", Map.of("ip", "10.0.0.7", "GpuIndex", "0"), 61440),
				new PrometheusText.Sample("up", Map.of(), 1));
	}

	@Test
	void shouldUnescapeLabelValuesAndReadSpecialValues() {
		List<PrometheusText.Sample> samples = PrometheusText.parse("a{x=\"say \\\"hi\\\" \\\\ o\\nk\",y=\"}{,\"} NaN\n"
				+ "b +Inf\nc{} -Inf\nd{z=\"1\",} 2e3\n");

		assertThat(samples.get(0).labels()).containsEntry("x", "say \"hi\" \\ o\nk").containsEntry("y", "}{,");
		assertThat(samples.get(0).value()).isNaN();
		assertThat(samples.get(1).value()).isEqualTo(Double.POSITIVE_INFINITY);
		assertThat(samples.get(2).value()).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(samples.get(3)).isEqualTo(new PrometheusText.Sample("d", Map.of("z", "1"), 2000));
	}

	@Test
	void shouldSkipMalformedLinesAndKeepTheRest() {
		List<PrometheusText.Sample> samples = PrometheusText.parse("broken{x=\"1 2\nnovalue\nok 3\nbad{x=1} 4\n");

		assertThat(samples).extracting(PrometheusText.Sample::name).containsExactly("ok");
	}

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
