package io.raylane.deploy;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.raylane.deploy.metrics.AlertmanagerBinaries;
import io.raylane.deploy.metrics.DeployQueries;
import io.raylane.deploy.metrics.Promtool;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/alertmanager/alertmanager.yml passes Alertmanager's own check
 * ({@code amtool check-config}), and its routes cover every severity the alert rules of
 * deploy/prometheus/rules use: every rule carries a {@code severity} label (its own, or
 * the one of the series it aggregates by) that a route matches. Skipped, with its reason,
 * where amtool is not installed (failed under CI=true +
 * RAYLANE_REQUIRE_ALERTMANAGER=true).
 */
@Tag("slow")
class AlertmanagerConfigTest {

	static final Path CONFIG = DeployQueries.DEPLOY.resolve("alertmanager/alertmanager.yml");

	@Test
	void shouldPassAmtoolCheckConfig() throws Exception {
		Path amtool = AlertmanagerBinaries.amtool();

		String output = Promtool.run(amtool, CONFIG.getParent(), "check-config", "alertmanager.yml");

		assertThat(output).contains("Checking 'alertmanager.yml'  SUCCESS").contains("3 receivers");
	}

	@Test
	void shouldStillPassWithItsCommentedEmailAndChatExamplesSwitchedOn(@TempDir Path dir) throws Exception {
		Path amtool = AlertmanagerBinaries.amtool();
		// the example lines: a comment whose text is one of the examples' YAML keys
		Pattern example = Pattern
			.compile("(?m)^(\\s*)# (\\s*(?:smtp_\\w+|slack_configs|email_configs|- api_url_file|- to"
					+ "|channel|send_resolved|title|text):.*)$");
		String shipped = Files.readString(CONFIG);
		Matcher lines = example.matcher(shipped);
		int switchedOn = (int) example.matcher(shipped).results().count();
		Files.writeString(dir.resolve("examples.yml"), lines.replaceAll("$1$2"));

		String output = Promtool.run(amtool, dir, "check-config", "examples.yml");

		assertThat(switchedOn).as("example lines").isGreaterThan(15);
		assertThat(output).contains("Checking 'examples.yml'  SUCCESS");
	}

	@Test
	@SuppressWarnings("unchecked")
	void shouldRouteEverySeverityThatARuleCarries() throws Exception {
		Set<String> routed = new TreeSet<>();
		Map<String, Object> config = load(CONFIG);
		for (Map<String, Object> route : (List<Map<String, Object>>) ((Map<String, Object>) config.get("route"))
			.get("routes")) {
			for (String matcher : (List<String>) route.get("matchers")) {
				assertThat(matcher).as("a route matches on severity").startsWith("severity=\"");
				routed.add(matcher.substring("severity=\"".length(), matcher.length() - 1));
			}
		}
		List<String> rulesWithout = new ArrayList<>();
		Set<String> used = new TreeSet<>();
		for (Map<String, Object> rule : alertRules()) {
			Map<String, Object> labels = (Map<String, Object>) rule.get("labels");
			if (labels != null && labels.get("severity") != null) {
				used.add(String.valueOf(labels.get("severity")));
			}
			else if (!String.valueOf(rule.get("expr")).matches("(?s).*\\bby \\([^)]*\\bseverity\\b.*")) {
				rulesWithout.add(String.valueOf(rule.get("alert")));
			}
		}

		assertThat(rulesWithout).as("alert rules without a severity label").isEmpty();
		assertThat(used).isNotEmpty();
		assertThat(routed).as("severities with a route").containsAll(used).contains("critical", "warning", "info");
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> alertRules() throws Exception {
		List<Map<String, Object>> rules = new ArrayList<>();
		try (var files = Files.list(DeployQueries.PROMETHEUS.resolve("rules"))) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".yml")).sorted().toList()) {
				for (Map<String, Object> group : (List<Map<String, Object>>) load(file).get("groups")) {
					((List<Map<String, Object>>) group.get("rules")).stream()
						.filter((r) -> r.containsKey("alert"))
						.forEach(rules::add);
				}
			}
		}
		assertThat(rules).hasSizeGreaterThan(5);
		return rules;
	}

	private static Map<String, Object> load(Path file) throws Exception {
		try (Reader reader = Files.newBufferedReader(file)) {
			return new Yaml().load(reader);
		}
	}

}
