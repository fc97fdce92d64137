package io.raylane.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.deploy.metrics.DeployQueries;
import io.raylane.deploy.metrics.Promtool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/prometheus and the dashboards' queries pass Prometheus' own checks:
 * {@code promtool check config} (both scrape configurations),
 * {@code promtool check rules}, the alert unit tests with {@code promtool test rules},
 * and every dashboard query parses as PromQL. Skipped, with its reason, where promtool is
 * not installed.
 */
@Tag("slow")
class PrometheusRulesTest {

	static Path promtool;

	@TempDir
	Path copy;

	@BeforeAll
	static void findPromtool() {
		promtool = Promtool.find().orElse(null);
		if (promtool == null) {
			Assumptions.abort("promtool not installed (Debian package 'prometheus'); skipping promtool check config, "
					+ "check rules and test rules of deploy/prometheus");
		}
	}

	@Test
	void shouldPassPromtoolCheckConfigForBothScrapeConfigurations() throws Exception {
		// check config insists that the API's token file exists: check a copy that has a
		// placeholder one
		copyTree(DeployQueries.PROMETHEUS, this.copy);
		Files.writeString(this.copy.resolve("raylane-api.token"), "placeholder-token\n");

		String production = Promtool.run(promtool, this.copy, "check", "config", "prometheus.yml");
		String local = Promtool.run(promtool, this.copy, "check", "config", "prometheus-local.yml");

		assertThat(production).contains("SUCCESS: prometheus.yml is valid")
			.contains("SUCCESS: 7 rules found")
			.contains("SUCCESS: 1 rules found");
		assertThat(local).contains("SUCCESS: prometheus-local.yml is valid");
	}

	@Test
	void shouldPassPromtoolCheckRules() throws Exception {
		String output = Promtool.run(promtool, DeployQueries.PROMETHEUS, "check", "rules", "rules/raylane-alerts.yml");

		assertThat(output).contains("SUCCESS: 7 rules found");
	}

	@Test
	void shouldPassPromtoolCheckAndTestOfTheSharedStorageRule() throws Exception {
		String check = Promtool.run(promtool, DeployQueries.PROMETHEUS, "check", "rules", "rules/raylane-storage.yml");
		String test = Promtool.run(promtool, DeployQueries.PROMETHEUS, "test", "rules",
				"tests/raylane-storage.test.yml");

		assertThat(check).contains("SUCCESS: 1 rules found");
		assertThat(test).contains("SUCCESS");
	}

	@Test
	void shouldPassTheAlertUnitTestsWithPromtoolTestRules() throws Exception {
		String output = Promtool.run(promtool, DeployQueries.PROMETHEUS, "test", "rules",
				"tests/raylane-alerts.test.yml");

		assertThat(output).contains("SUCCESS");
	}

	@Test
	void shouldParseEveryDashboardQueryAsPromQl() throws Exception {
		Map<String, String> queries = DeployQueries.dashboards();
		StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
		int n = 0;
		for (String query : queries.keySet()) {
			// Grafana's range variables, as Grafana substitutes them before Prometheus
			// sees the query
			String promql = query.replace("$__rate_interval", "1m")
				.replace("$__interval", "1m")
				.replace("$__range", "6h");
			rules.append("      - record: dashboard:query_")
				.append(n++)
				.append('\n')
				.append("        expr: '")
				.append(promql.replace("'", "''"))
				.append("'\n");
		}
		Files.writeString(this.copy.resolve("dashboard-queries.yml"), rules);

		String output = Promtool.run(promtool, this.copy, "check", "rules", "dashboard-queries.yml");

		assertThat(queries).hasSizeGreaterThan(30);
		assertThat(output).contains("SUCCESS: " + queries.size() + " rules found");
	}

	private static void copyTree(Path from, Path to) throws IOException {
		try (Stream<Path> paths = Files.walk(from)) {
			for (Path path : paths.toList()) {
				Path target = to.resolve(from.relativize(path).toString());
				if (Files.isDirectory(path)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(path, target);
				}
			}
		}
	}

}
