package io.raylane.deploy.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The tokenizer finds metric names and nothing else. */
class PromQlNamesTest {

	@Test
	void shouldFindTheMetricsOfAnAggregationAndSkipItsLabels() {
		assertThat(PromQlNames.of("max by (pool, state) (raylane_pool_gpus{state=~\"free|total\"})"))
			.containsExactly("raylane_pool_gpus");
	}

	@Test
	void shouldSkipFunctionsDurationsNumbersAndGrafanaVariables() {
		assertThat(PromQlNames
			.of("histogram_quantile(0.95, sum by (le) (rate(raylane_job_wait_seconds_bucket[$__rate_interval] offset 5m)))"
					+ " * 1e3 / 3600"))
			.containsExactly("raylane_job_wait_seconds_bucket");
		assertThat(PromQlNames.of("max_over_time(raylane_job_gpu_memory_used_bytes[${__range}:1m])"))
			.containsExactly("raylane_job_gpu_memory_used_bytes");
	}

	@Test
	void shouldFindBothSidesOfVectorMatchingAndSkipItsKeywords() {
		assertThat(PromQlNames.of("sum without (instance) (a_total) / on (job_id, pool) group_left (user) b"
				+ " and ignoring (x) c unless bool d > bool 0"))
			.containsExactly("a_total", "b", "c", "d");
	}

	@Test
	void shouldIgnoreNamesInsideStringsAndLabelMatchers() {
		assertThat(PromQlNames
			.of("label_replace(up{job=~\"raylane-.*\"}, \"svc\", \"$1 (x)\", \"job\", \"raylane-(.*)\")"))
			.containsExactly("up");
	}

}
