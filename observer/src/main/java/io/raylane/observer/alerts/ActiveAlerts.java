package io.raylane.observer.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.raylane.topics.events.Alert;

/**
 * The alerts published on {@code raylane.alerts} that are still active, as Prometheus
 * sees them ({@code raylane_alert_active}, so that one Alertmanager route serves
 * Prometheus' rules and Raylane's own alerts). Pure: the observer tells it what it
 * committed and what still holds, and reads the rows.
 * <p>
 * A gauge rather than a counter: an alert is a state that Alertmanager must see begin and
 * end (firing, then resolved), while a counter only says that something happened and an
 * {@code increase()} rule would fire for its window whatever became of the alert
 * ({@code raylane_alerts_total} stays for that count).
 * <p>
 * Bounded: one row per kind and subject (a new episode replaces the old one); an alert
 * ends when the publisher resolves it ({@link #resolveUnless}: a {@code gpu_idle} alert
 * once its job is no longer in an alerted idle episode, e.g. busy again or ended) or
 * {@code ttl} after it was raised, whichever comes first; beyond {@code max} rows the
 * oldest are dropped.
 */
public final class ActiveAlerts {

	/** How long an alert stays active when nothing resolves it. */
	public static final Duration DEFAULT_TTL = Duration.ofHours(24);

	/** At most this many active alerts are exported. */
	public static final int DEFAULT_MAX = 500;

	private final Duration ttl;

	private final int max;

	private final Map<String, Row> rows = new LinkedHashMap<>();

	public ActiveAlerts(Duration ttl, int max) {
		if (ttl.isZero() || ttl.isNegative() || max < 1) {
			throw new IllegalArgumentException("ttl and max must be positive: " + ttl + ", " + max);
		}
		this.ttl = ttl;
		this.max = max;
	}

	/** An alert that was published (its transaction committed). */
	public void raised(Alert alert) {
		Row row = Row.of(alert);
		// re-inserted, so that the map's order stays the order of raising
		this.rows.remove(key(row.kind(), alert.subject()));
		this.rows.put(key(row.kind(), alert.subject()), row);
		while (this.rows.size() > this.max) {
			String oldest = this.rows.entrySet()
				.stream()
				.min(Comparator.comparing((Map.Entry<String, Row> e) -> e.getValue().raisedAt()))
				.orElseThrow()
				.getKey();
			this.rows.remove(oldest);
		}
	}

	/**
	 * Resolves the alerts of {@code kind} whose subject is not in {@code stillActive}
	 * (the publisher's own view of which still hold).
	 */
	public void resolveUnless(String kind, Set<String> stillActive) {
		this.rows.values().removeIf((r) -> r.kind().equals(kind) && !stillActive.contains(r.subject()));
	}

	/** The active alerts at {@code now}, oldest first; expired ones are forgotten. */
	public List<Row> active(Instant now) {
		this.rows.values().removeIf((r) -> !now.isBefore(r.raisedAt().plus(this.ttl)));
		return new ArrayList<>(this.rows.values());
	}

	private static String key(String kind, String subject) {
		return kind + "/" + subject;
	}

	/**
	 * One active alert's labels. Alert's subject is a job id for job alerts and a node id
	 * for node alerts: a node alert is one whose kind starts with {@code node_} or whose
	 * evidence names a {@code node_id}.
	 *
	 * @param kind the alert's kind
	 * @param severity its severity ({@code warning} when it has none)
	 * @param subject its subject
	 * @param pool the evidence's {@code pool}, or ""
	 * @param node the node's id (node alerts), else the evidence's {@code node_ips}
	 * joined with commas, or ""
	 * @param jobId the subject for job alerts, else ""
	 * @param raisedAt when it was raised
	 */
	public record Row(String kind, String severity, String subject, String pool, String node, String jobId,
			Instant raisedAt) {

		static Row of(Alert alert) {
			Map<String, Object> evidence = alert.evidence();
			String kind = text(alert.kind());
			boolean nodeAlert = kind.startsWith("node_") || evidence.containsKey("node_id");
			String node = nodeAlert ? text(evidence.getOrDefault("node_id", alert.subject()))
					: ips(evidence.get("node_ips"));
			String severity = (alert.severity() == null || alert.severity().isBlank()) ? Alert.SEVERITY_WARNING
					: alert.severity();
			return new Row(kind, severity, text(alert.subject()), text(evidence.get("pool")), node,
					nodeAlert ? "" : text(alert.subject()), alert.raisedAt());
		}

		private static String ips(Object value) {
			if (value instanceof Collection<?> list) {
				return list.stream().map(String::valueOf).collect(Collectors.joining(","));
			}
			return text(value);
		}

		private static String text(Object value) {
			return (value == null) ? "" : String.valueOf(value);
		}

	}

}
