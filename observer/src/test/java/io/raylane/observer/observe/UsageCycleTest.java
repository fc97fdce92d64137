package io.raylane.observer.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raylane.observer.Rays;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayNodeState;
import io.raylane.topics.TestClock;
import io.raylane.observer.accounting.AccountingLedger;
import io.raylane.observer.alerts.IdleGpuDetector;
import io.raylane.observer.alerts.IdleWatch;
import io.raylane.observer.gpu.NodeMetricsFixture;
import io.raylane.observer.gpu.NodeMetricsScraper;
import io.raylane.observer.metrics.ObserverMetrics;
import io.raylane.topics.events.GpuUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage half of a poll against a node fixture: samples survive a failed commit, only
 * alive job nodes are scraped.
 */
class UsageCycleTest {

	static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	static final Duration P = Duration.ofMinutes(1);

	final NodeMetricsFixture node = new NodeMetricsFixture("127.0.0.1", 0);

	final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	final ObserverMetrics metrics = new ObserverMetrics(this.registry, new TestClock(T0));

	final UsageCycle usage = new UsageCycle(new AccountingLedger(P, Map.of()),
			new IdleWatch(new IdleGpuDetector(5, Duration.ofMinutes(15)), Map.of()),
			new NodeMetricsScraper(this.node.port(), Duration.ofSeconds(30), this.metrics::scrapeError), this.metrics);

	final List<RayJobDetails> jobs = List.of(Rays.gpuJob("j1", 2, T0.toEpochMilli(), "RUNNING", null, "127.0.0.1"));

	final List<RayNodeState> nodes = List.of(Rays.worker("w1", "127.0.0.1", "default", 8, true));

	@AfterEach
	void stop() {
		this.node.close();
	}

	@Test
	void shouldAverageSamplesTakenInPollsWhoseTransactionFailed() {
		this.node.gpu(0, 40, 100).gpu(1, 60, 300).gpu(2, 0, 0);
		this.usage.plan(this.jobs, this.nodes, T0.plusSeconds(20)); // its transaction
																	// failed: not
																	// committed
		this.node.gpu(0, 10, 100).gpu(1, 30, 200);

		UsageCycle.Plan plan = this.usage.plan(this.jobs, this.nodes, T0.plusSeconds(40));
		this.usage.commit(plan);
		UsageCycle.Plan due = this.usage.plan(this.jobs, this.nodes, T0.plus(P).plusSeconds(1));

		assertThat(plan.records()).isEmpty();
		assertThat(due.records()).singleElement().satisfies((u) -> {
			assertThat(u.id()).isEqualTo("j1/0");
			assertThat(u.avgGpuUtilization()).isEqualTo((50.0 + 20.0) / 2);
			assertThat(u.peakGpuMemoryMib()).isEqualTo(300.0);
		});
		assertThat(this.registry.get("raylane.accounting.records").tag("final", "false").counter().count()).isZero();
		this.usage.commit(due);
		assertThat(this.registry.get("raylane.accounting.records").tag("final", "false").counter().count())
			.isEqualTo(1);
	}

	@Test
	void shouldReadUtilizationFromTheNodesRayActuallyPutTheJobOn() {
		// issue 14: j1 reserved 127.0.0.1, whose GPUs idle; Ray put its work on 127.0.0.2
		try (NodeMetricsFixture actual = new NodeMetricsFixture("127.0.0.2", this.node.port())) {
			this.node.gpu(0, 0, 0).gpu(1, 0, 0);
			actual.gpu(0, 90, 500).gpu(1, 70, 700);
			List<RayNodeState> both = List.of(Rays.worker("w1", "127.0.0.1", "default", 8, true),
					Rays.worker("w2", "127.0.0.2", "default", 8, true));
			Map<String, io.raylane.observer.placement.RayPlacement.JobPlacement> placed = Map.of("j1",
					new io.raylane.observer.placement.RayPlacement.JobPlacement(List.of("127.0.0.2"),
							List.of("pg1:0@127.0.0.2")));

			UsageCycle.Plan plan = this.usage.plan(this.jobs, both, T0.plusSeconds(20), placed);
			this.usage.commit(plan);
			UsageCycle.Plan due = this.usage.plan(this.jobs, both, T0.plus(P).plusSeconds(1), placed);

			assertThat(plan.running()).singleElement()
				.satisfies((j) -> assertThat(j.nodeIps()).containsExactly("127.0.0.2"));
			assertThat(plan.reserved()).singleElement()
				.satisfies((j) -> assertThat(j.nodeIps()).containsExactly("127.0.0.1"));
			assertThat(due.records()).singleElement().satisfies((u) -> {
				// GPU-hours are the gang's; utilization is the actual nodes'
				assertThat(u.gpus()).isEqualTo(2);
				assertThat(u.avgGpuUtilization()).isEqualTo(80.0);
				assertThat(u.peakGpuMemoryMib()).isEqualTo(700.0);
			});
		}
	}

	@Test
	void shouldNotScrapeDeadNodesNorCountThemAsErrors() {
		List<RayNodeState> dead = List.of(Rays.worker("w1", "127.0.0.1", "default", 8, false));

		UsageCycle.Plan plan = this.usage.plan(this.jobs, dead, T0.plusSeconds(20));

		assertThat(plan.latest()).isEmpty();
		assertThat(this.registry.get("raylane.observer.scrape.errors").counter().count()).isZero();
		assertThat(plan.records()).extracting(GpuUsage::id).isEmpty();
	}

}
