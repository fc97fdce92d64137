package io.raylane.observer.observe;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.raylane.observer.Attributions;
import io.raylane.observer.Rays;
import io.raylane.observer.accounting.AccountingLedger;
import io.raylane.observer.alerts.IdleGpuDetector;
import io.raylane.observer.alerts.IdleWatch;
import io.raylane.observer.metrics.ObserverMetrics;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayNodeState;
import io.raylane.topics.events.GpuUsage;
import io.raylane.observer.publish.BatchPublisher;
import io.raylane.observer.publish.PollBatch;
import io.raylane.observer.ray.RayPollException;
import io.raylane.observer.ray.RayStateClient;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.NodeObserved;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The poll cycle with an in-memory Ray and sink: what is published, remembered, retried
 * and forgotten.
 */
class RayPollerTest {

	final FakeRay ray = new FakeRay();

	final RecordingSink sink = new RecordingSink();

	final RayPoller poller = new RayPoller(this.ray, this.sink, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
			Attributions.dispatched("alice", "a", "j1"));

	@Test
	void shouldPublishOnlyWhatChanged() {
		this.ray.jobs = List.of(Rays.raylaneJob("j1", "a"), Rays.foreignJob("x"));
		this.ray.nodes = List.of(Rays.head("h"), Rays.worker("w1", "127.10.0.2", "a", 8, true));

		assertThat(this.poller.pollOnce()).isEqualTo(new RayPoller.Report(1, 1));
		assertThat(this.poller.pollOnce()).isEqualTo(new RayPoller.Report(0, 0));
		this.ray.jobs = List.of(Rays.running(Rays.raylaneJob("j1", "a"), "127.10.0.2"));
		assertThat(this.poller.pollOnce()).isEqualTo(new RayPoller.Report(1, 0));
		assertThat(this.sink.jobs).extracting(JobObserved::rayStatus).containsExactly("PENDING", "RUNNING");
	}

	@Test
	void shouldRepublishWhatTheSinkFailedToTake() {
		this.ray.jobs = List.of(Rays.raylaneJob("j1", "a"));
		this.sink.failing = true;
		this.poller.pollOnce();

		this.sink.failing = false;

		assertThat(this.poller.pollOnce().jobsPublished()).isEqualTo(1);
		assertThat(this.sink.jobs).hasSize(1);
	}

	@Test
	void shouldStillPollNodesWhenJobsFail() {
		this.ray.jobsFail = true;
		this.ray.nodes = List.of(Rays.worker("w1", "127.10.0.2", "a", 8, true));

		assertThat(this.poller.pollOnce()).isEqualTo(new RayPoller.Report(0, 1));
	}

	@Test
	void shouldForgetJobsRayNoLongerLists() {
		this.ray.jobs = List.of(Rays.raylaneJob("j1", "a"));
		this.poller.pollOnce();
		this.ray.jobs = List.of();
		this.poller.pollOnce();
		this.ray.jobs = List.of(Rays.raylaneJob("j1", "a"));

		assertThat(this.poller.pollOnce().jobsPublished()).isEqualTo(1);
	}

	@Test
	void shouldPublishATerminalObservationWithItsFinalRecordAndCountOnlyWhatCommitted() {
		io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
		java.time.Duration period = java.time.Duration.ofMinutes(5);
		ObserverMetrics metrics = new ObserverMetrics(registry, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
		UsageCycle usage = new UsageCycle(new AccountingLedger(period, java.util.Map.of()),
				new IdleWatch(new IdleGpuDetector(5, java.time.Duration.ofMinutes(15)), java.util.Map.of()), null,
				metrics);
		RayPoller withUsage = new RayPoller(this.ray, this.sink,
				Clock.fixed(Instant.EPOCH.plus(period.multipliedBy(4)), ZoneOffset.UTC),
				Attributions.dispatched("alice", "default", "j1"), null, usage, metrics);
		this.ray.jobs = List.of(Rays.gpuJob("j1", 8, 0, "SUCCEEDED", period.multipliedBy(2).toMillis() + 500));
		this.sink.failing = true;

		RayPoller.Report failed = withUsage.pollOnce();
		this.sink.failing = false;
		RayPoller.Report retried = withUsage.pollOnce();

		assertThat(failed).isEqualTo(new RayPoller.Report(0, 0, 0, 0));
		assertThat(retried).isEqualTo(new RayPoller.Report(1, 0, 3, 0));
		assertThat(this.sink.batches).singleElement().satisfies((batch) -> {
			assertThat(batch.jobs()).extracting(JobObserved::rayStatus).containsExactly("SUCCEEDED");
			assertThat(batch.usages()).extracting(GpuUsage::id, GpuUsage::isFinal)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("j1/0", false),
						org.assertj.core.groups.Tuple.tuple("j1/1", false),
						org.assertj.core.groups.Tuple.tuple("j1/2", true));
		});
		assertThat(registry.get("raylane.user.gpu.seconds").tag("user", "alice").counter().count())
			.isEqualTo(8 * (600 + 0.5));
		assertThat(withUsage.pollOnce()).isEqualTo(new RayPoller.Report(0, 0, 0, 0));
	}

	@Test
	void shouldNotLetAJobThatOnlyClaimsARaylaneJobEndItOrBeAccounted() {
		// issue 12: anyone who reaches Ray may submit with raylane_job_id=<alice's job>
		java.time.Duration period = java.time.Duration.ofMinutes(5);
		ObserverMetrics metrics = new ObserverMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
				Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
		UsageCycle usage = new UsageCycle(new AccountingLedger(period, java.util.Map.of()),
				new IdleWatch(new IdleGpuDetector(5, java.time.Duration.ofMinutes(15)), java.util.Map.of()), null,
				metrics);
		RayPoller withUsage = new RayPoller(this.ray, this.sink,
				Clock.fixed(Instant.EPOCH.plus(period.multipliedBy(2)), ZoneOffset.UTC),
				Attributions.dispatched("alice", "default", "j1"), null, usage, metrics);
		this.ray.jobs = List.of(Rays.gpuJob("j1", 8, 0, "RUNNING", null), Rays.impostor("evil-1", "j1", "FAILED", 1L),
				Rays.gpuJob("never-dispatched", 8, 0, "FAILED", 1L));

		withUsage.pollOnce();

		assertThat(this.sink.jobs).extracting(JobObserved::jobId, JobObserved::rayStatus)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("j1", "RUNNING"));
		assertThat(this.sink.batches).singleElement()
			.satisfies((batch) -> assertThat(batch.usages()).extracting(GpuUsage::id, GpuUsage::isFinal)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("j1/0", false),
						org.assertj.core.groups.Tuple.tuple("j1/1", false)));
	}

	static final class FakeRay implements RayStateClient {

		List<RayJobDetails> jobs = List.of();

		List<RayNodeState> nodes = List.of();

		boolean jobsFail;

		@Override
		public List<RayJobDetails> jobs() {
			if (this.jobsFail) {
				throw new RayPollException("GET /api/jobs/ answered 500: boom");
			}
			return this.jobs;
		}

		@Override
		public List<RayNodeState> nodes() {
			return this.nodes;
		}

	}

	/**
	 * Takes whole batches, as a transaction would: all of a batch or, when failing, none
	 * of it.
	 */
	static final class RecordingSink implements BatchPublisher {

		final List<JobObserved> jobs = new ArrayList<>();

		final List<NodeObserved> nodes = new ArrayList<>();

		final List<PollBatch> batches = new ArrayList<>();

		boolean failing;

		@Override
		public void publish(PollBatch batch) {
			if (this.failing) {
				throw new IllegalStateException("broker down");
			}
			this.batches.add(batch);
			this.jobs.addAll(batch.jobs());
			this.nodes.addAll(batch.nodes());
		}

	}

}
