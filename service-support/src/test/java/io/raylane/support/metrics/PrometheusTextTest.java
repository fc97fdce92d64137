package io.raylane.support.metrics;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PrometheusTextTest {

	@Test
	void shouldReadNamesLabelsValuesAndTimestampsAndSkipComments() {
		List<PrometheusText.Sample> samples = PrometheusText.parse("""
				# HELP ray_node_gpus_utilization The GPU utilization
				# TYPE ray_node_gpus_utilization gauge
				ray_node_gpus_utilization{ip="127.10.0.7",GpuIndex="0",GpuDeviceName="NVIDIA A100"} 87.5
				ray_node_gram_used{ip="127.10.0.7",GpuIndex="0"} 61440 1767225600000

				up 1
				""");

		assertThat(samples).containsExactly(
				new PrometheusText.Sample("ray_node_gpus_utilization",
						Map.of("ip", "127.10.0.7", "GpuIndex", "0", "GpuDeviceName", "NVIDIA A100"), 87.5),
				new PrometheusText.Sample("ray_node_gram_used", Map.of("ip", "127.10.0.7", "GpuIndex", "0"), 61440),
				new PrometheusText.Sample("up", Map.of(), 1));
	}

	@Test
	void shouldUnescapeLabelValuesAndReadSpecialValues() {
		List<PrometheusText.Sample> samples = PrometheusText
			.parse("a{x=\"say \\\"hi\\\" \\\\ o\\nk\",y=\"}{,\"} NaN\n" + "b +Inf\nc{} -Inf\nd{z=\"1\",} 2e3\n");

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
	void shouldReadStrictlyWhenEveryFamilyIsTypedAndHelpIsOptional() {
		List<PrometheusText.Sample> samples = PrometheusText.parseStrict("""
				# HELP raylane_jobs Jobs by state
				# TYPE raylane_jobs gauge
				raylane_jobs{state="QUEUED"} 2.0
				# TYPE kafka_consumer_records_lag_max gauge
				kafka_consumer_records_lag_max{client_id="c-1"} 0.0 1767225600000
				# TYPE http_server_requests_seconds histogram
				http_server_requests_seconds_bucket{le="+Inf"} 3
				http_server_requests_seconds_count 3
				http_server_requests_seconds_sum 0.25
				""");

		assertThat(samples).extracting(PrometheusText.Sample::name)
			.containsExactly("raylane_jobs", "kafka_consumer_records_lag_max", "http_server_requests_seconds_bucket",
					"http_server_requests_seconds_count", "http_server_requests_seconds_sum");
		assertThat(samples.get(0).labels()).containsExactly(Map.entry("state", "QUEUED"));
		assertThat(samples.get(2).value()).isEqualTo(3);
	}

	@Test
	void shouldNameTheSeriesOfAStrictExposition() {
		assertThat(PrometheusText.names("# TYPE b counter\nb_total 1\n# TYPE a gauge\na{x=\"1\"} 2\na{x=\"2\"} 3\n"))
			.containsExactly("a", "b_total");
	}

	@Test
	void shouldRefuseStrictlyTheLinesTheLenientReadingSkips() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PrometheusText.parseStrict("# TYPE ok gauge\nok 1\nnovalue\n"))
			.withMessageContaining("novalue");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PrometheusText.parseStrict("# TYPE bad gauge\nbad{x=1} 4\n"))
			.withMessageContaining("bad{x=1}");
		assertThatIllegalArgumentException().isThrownBy(() -> PrometheusText.parseStrict("# TYPE ok gauge\nok 1 2 3\n"))
			.withMessageContaining("ok 1 2 3");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PrometheusText.parseStrict("# TYPE ok gauge\nok{0x=\"1\"} 1\n"))
			.withMessageContaining("0x");
		assertThatIllegalArgumentException().isThrownBy(() -> PrometheusText.parseStrict("# HELP a only help\na 1\n"))
			.withMessageContaining("sample without # TYPE: a 1");
	}

}
