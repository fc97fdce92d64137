package io.raylane.deploy.metrics;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every PromQL query of deploy/: each Grafana dashboard panel's targets and each alert
 * rule's expression, with where it comes from ("jobs.json / Peak GPU memory per job / C",
 * "raylane-alerts.yml / RaylaneNodeLost").
 */
public final class DeployQueries {

	/** The deploy module's directory, where surefire runs the tests. */
	public static final Path DEPLOY = Path.of("").toAbsolutePath();

	public static final Path PROMETHEUS = DEPLOY.resolve("prometheus");

	public static final Path DASHBOARDS = DEPLOY.resolve("grafana/dashboards");

	private DeployQueries() {
	}

	/** Query → where it is used; dashboards first, then rules. */
	public static Map<String, String> all() throws IOException {
		Map<String, String> queries = new LinkedHashMap<>(dashboards());
		queries.putAll(rules());
		return queries;
	}

	public static Map<String, String> dashboards() throws IOException {
		Map<String, String> queries = new LinkedHashMap<>();
		try (Stream<Path> files = Files.list(DASHBOARDS)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".json")).sorted().toList()) {
				JsonNode dashboard = JsonMapper.builder().build().readTree(file.toFile());
				panels(dashboard.path("panels"), file.getFileName().toString(), queries);
			}
		}
		return queries;
	}

	private static void panels(JsonNode panels, String where, Map<String, String> queries) {
		for (JsonNode panel : panels) {
			String title = where + " / " + panel.path("title").asString();
			for (JsonNode target : panel.path("targets")) {
				if (target.hasNonNull("expr")) {
					queries.put(target.get("expr").asString(), title + " / " + target.path("refId").asString());
				}
			}
			// a row keeps its collapsed panels inside it
			panels(panel.path("panels"), where, queries);
		}
	}

	@SuppressWarnings("unchecked")
	public static Map<String, String> rules() throws IOException {
		Map<String, String> queries = new LinkedHashMap<>();
		try (Stream<Path> files = Files.list(PROMETHEUS.resolve("rules"))) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".yml")).sorted().toList()) {
				try (Reader reader = Files.newBufferedReader(file)) {
					Map<String, Object> root = new Yaml().load(reader);
					for (Map<String, Object> group : (List<Map<String, Object>>) root.get("groups")) {
						for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
							Object name = rule.containsKey("alert") ? rule.get("alert") : rule.get("record");
							queries.put(String.valueOf(rule.get("expr")), file.getFileName() + " / " + name);
						}
					}
				}
			}
		}
		return queries;
	}

}
