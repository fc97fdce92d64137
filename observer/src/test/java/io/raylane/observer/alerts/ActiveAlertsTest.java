package io.raylane.observer.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.raylane.topics.events.Alert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which alerts of raylane.alerts stay active (TTL 1 hour, at most 3 rows), and the labels
 * each one gets.
 */
class ActiveAlertsTest {

	static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	final ActiveAlerts active = new ActiveAlerts(Duration.ofHours(1), 3);

	record LabelCase(String why, Alert alert, String severity, String pool, String node, String jobId) {

		@Override
		public String toString() {
			return this.why;
		}

	}

	static List<LabelCase> labelCases() {
		return List.of(
				new LabelCase("a gpu_idle alert: a job's, its pool and node IPs from the evidence",
						alert("gpu_idle", "warning", "rl-1",
								Map.of("pool", "a100", "node_ips", List.of("10.0.0.7", "10.0.0.8")), T0),
						"warning", "a100", "10.0.0.7,10.0.0.8", "rl-1"),
				new LabelCase("a node_ kind: the subject is the node",
						alert("node_disk_full", "critical", "gpu-07", Map.of("pool", "h100"), T0), "critical", "h100",
						"gpu-07", ""),
				new LabelCase("evidence naming a node_id: a node alert",
						alert("nccl_slow", "info", "gpu-08", Map.of("node_id", "gpu-08"), T0), "info", "", "gpu-08",
						""),
				new LabelCase("no severity, no evidence: warning, empty labels",
						alert("lost_job", null, "rl-2", Map.of(), T0), "warning", "", "", "rl-2"));
	}

	@ParameterizedTest
	@MethodSource("labelCases")
	void shouldLabelAnAlertByItsKindSeverityPoolNodeAndJob(LabelCase c) {
		this.active.raised(c.alert());

		assertThat(this.active.active(T0)).singleElement().satisfies((row) -> {
			assertThat(row.kind()).isEqualTo(c.alert().kind());
			assertThat(row.severity()).isEqualTo(c.severity());
			assertThat(row.pool()).isEqualTo(c.pool());
			assertThat(row.node()).isEqualTo(c.node());
			assertThat(row.jobId()).isEqualTo(c.jobId());
		});
	}

	@Test
	void shouldExpireAnAlertThatNothingResolvesAfterTheTtl() {
		this.active.raised(alert("lost_job", "warning", "rl-1", Map.of(), T0));

		assertThat(this.active.active(T0.plus(Duration.ofMinutes(59)))).hasSize(1);
		assertThat(this.active.active(T0.plus(Duration.ofHours(1)))).isEmpty();
		assertThat(this.active.active(T0)).as("forgotten, not hidden").isEmpty();
	}

	@Test
	void shouldResolveTheAlertsOfAKindWhoseSubjectNoLongerHolds() {
		this.active.raised(alert("gpu_idle", "warning", "rl-1", Map.of(), T0));
		this.active.raised(alert("gpu_idle", "warning", "rl-2", Map.of(), T0));
		this.active.raised(alert("lost_job", "warning", "rl-1", Map.of(), T0));

		this.active.resolveUnless("gpu_idle", Set.of("rl-2"));

		assertThat(this.active.active(T0)).extracting((r) -> r.kind() + "/" + r.subject())
			.containsExactly("gpu_idle/rl-2", "lost_job/rl-1");
	}

	@Test
	void shouldKeepOneRowPerKindAndSubjectTheNewestEpisode() {
		this.active.raised(alert("gpu_idle", "warning", "rl-1", Map.of("pool", "a"), T0));
		this.active.raised(alert("gpu_idle", "critical", "rl-1", Map.of("pool", "a"), T0.plusSeconds(1800)));

		assertThat(this.active.active(T0.plusSeconds(3700))).singleElement()
			.satisfies((r) -> assertThat(r.severity()).isEqualTo("critical"));
	}

	@Test
	void shouldDropTheOldestBeyondTheMaximum() {
		for (int i = 1; i <= 5; i++) {
			this.active.raised(alert("lost_job", "warning", "rl-" + i, Map.of(), T0.plusSeconds(i)));
		}

		assertThat(this.active.active(T0.plusSeconds(10))).extracting(ActiveAlerts.Row::subject)
			.containsExactly("rl-3", "rl-4", "rl-5");
	}

	@Test
	void shouldRefuseANonPositiveTtlOrMaximum() {
		assertThatThrownBy(() -> new ActiveAlerts(Duration.ZERO, 3)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new ActiveAlerts(Duration.ofHours(1), 0)).isInstanceOf(IllegalArgumentException.class);
	}

	static Alert alert(String kind, String severity, String subject, Map<String, Object> evidence, Instant at) {
		return new Alert(1, Alert.idOf(kind, subject, at), kind, severity, subject, kind + " about " + subject,
				evidence, at);
	}

}
