package io.raylane.observer.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.raylane.observer.Attributions;
import io.raylane.observer.Rays;
import io.raylane.observer.attribution.Attribution;
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
import io.raylane.observer.lost.LostJobWatch;
import io.raylane.observer.lost.TestHeldJobs;
import io.raylane.topics.TestClock;
import io.raylane.topics.events.JobLost;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.NodeObserved;
import io.raylane.topics.job.JobStatus;
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
	void shouldPublishAWorkerARestartedHeadNoLongerListsAsDeadOnce() {
		this.ray.nodes = List.of(Rays.head("h"), Rays.worker("w1", "127.10.0.2", "a", 8, true));
		this.poller.pollOnce();
		this.ray.nodes = List.of(Rays.head("h2"), Rays.worker("w1b", "127.10.0.2", "a", 8, true));

		RayPoller.Report restarted = this.poller.pollOnce();
		RayPoller.Report after = this.poller.pollOnce();

		assertThat(restarted.nodesPublished()).isEqualTo(2);
		assertThat(after.nodesPublished()).isZero();
		assertThat(this.sink.nodes).extracting(NodeObserved::nodeId, NodeObserved::alive)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("w1", true),
					org.assertj.core.groups.Tuple.tuple("w1b", true), org.assertj.core.groups.Tuple.tuple("w1", false));
	}

	@Test
	void shouldNotTakeAFailedNodeListForAnEmptyOne() {
		this.ray.nodes = List.of(Rays.worker("w1", "127.10.0.2", "a", 8, true));
		this.poller.pollOnce();
		this.ray.nodesFail = true;

		assertThat(this.poller.pollOnce().nodesPublished()).isZero();
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
			assertThat(batch.jobs()).singleElement()
				.isInstanceOfSatisfying(JobObserved.class, (o) -> assertThat(o.rayStatus()).isEqualTo("SUCCEEDED"));
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

	@Test
	void shouldPublishActualPlacementGpusHeldOutsideAndAPlacementViolation() {
		// issue 14: j1 reserved 127.10.0.2 only; Ray put one of its bundles on
		// 127.10.0.3,
		// where a job submitted by hand holds 2 GPUs
		ObserverMetrics metrics = new ObserverMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
				Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
		UsageCycle usage = new UsageCycle(new AccountingLedger(Duration.ofMinutes(5), java.util.Map.of()),
				new IdleWatch(new IdleGpuDetector(5, Duration.ofMinutes(15)), java.util.Map.of()), null, metrics);
		TestClock clock = new TestClock(Instant.EPOCH);
		RayPoller withPlacement = new RayPoller(this.ray, this.sink, clock,
				Attributions.dispatched("alice", "default", "j1"), null, usage, metrics, null,
				new io.raylane.observer.placement.PlacementPolling(this.ray, Duration.ofSeconds(10)));
		RayJobDetails j1 = Rays.gpuJob("j1", 2, 0, "RUNNING", null, "127.10.0.2");
		RayJobDetails byHand = Rays.foreignJob("raysubmit_byhand");
		this.ray.jobs = List.of(withRayJobId(j1, "0a000000"), withRayJobId(byHand, "0b000000"));
		this.ray.nodes = List.of(Rays.head("h"), Rays.worker("w1", "127.10.0.2", "default", 4, true),
				Rays.worker("w2", "127.10.0.3", "default", 4, true));
		this.ray.groups = List.of(new io.raylane.rayclient.wire.RayPlacementGroupState("pg1", "", "0a000000", "CREATED",
				List.of(bundle("pg1", 0, "w1"), bundle("pg1", 1, "w2")), false));
		this.ray.actors = List.of(new io.raylane.rayclient.wire.RayActorState("a9", "Hog", "ALIVE", "0b000000", "",
				"w2", 7L, "ns", java.util.Map.of("GPU", 2.0), false, null));

		RayPoller.Report report = withPlacement.pollOnce();
		withPlacement.pollOnce();

		assertThat(this.sink.jobs).singleElement()
			.satisfies((o) -> assertThat(o.placement()).containsExactly("127.10.0.2", "127.10.0.3"));
		assertThat(this.sink.nodes).extracting(NodeObserved::nodeId, NodeObserved::gpusHeldOutside)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("w1", 0),
					org.assertj.core.groups.Tuple.tuple("w2", 2));
		assertThat(report.alertsPublished()).isEqualTo(1);
		assertThat(this.sink.batches).flatExtracting(PollBatch::alerts).singleElement().satisfies((alert) -> {
			assertThat(alert.kind()).isEqualTo("placement_violation");
			assertThat(alert.evidence()).containsEntry("unreserved_nodes", List.of("127.10.0.3"))
				.containsEntry("bundles", List.of("pg1:1@127.10.0.3"));
		});

		// the job submitted by hand ends: its GPUs are free again, seen at the next
		// placement read (at most one per placement interval)
		this.ray.actors = List.of();
		this.ray.jobs = List.of(withRayJobId(j1, "0a000000"));
		int published = this.sink.nodes.size();
		withPlacement.pollOnce();
		assertThat(this.sink.nodes).hasSize(published);
		clock.advance(Duration.ofSeconds(10));
		withPlacement.pollOnce();
		assertThat(this.sink.nodes.get(this.sink.nodes.size() - 1)).satisfies((o) -> {
			assertThat(o.nodeId()).isEqualTo("w2");
			assertThat(o.gpusHeldOutside()).isZero();
		});
	}

	private static RayJobDetails withRayJobId(RayJobDetails j, String rayJobId) {
		return new RayJobDetails(j.type(), rayJobId, j.submissionId(), j.driverInfo(), j.status(), j.entrypoint(),
				j.message(), j.errorType(), j.startTime(), j.endTime(), j.metadata(), j.runtimeEnv(),
				j.driverAgentHttpAddress(), j.driverNodeId(), j.driverExitCode());
	}

	private static io.raylane.rayclient.wire.RayPlacementGroupState.Bundle bundle(String group, int index,
			String nodeId) {
		return new io.raylane.rayclient.wire.RayPlacementGroupState.Bundle(
				new io.raylane.rayclient.wire.RayPlacementGroupState.BundleId(group, index),
				java.util.Map.of("CPU", 1.0, "GPU", 1.0), nodeId);
	}

	@Test
	void shouldReportAHeldJobLostOnceRaysAnswersLeftItOutForTheGrace() {
		TestHeldJobs states = new TestHeldJobs().publish("j1", JobStatus.RUNNING).publish("j2", JobStatus.RUNNING);
		TestClock clock = new TestClock(Instant.EPOCH);
		RayPoller poller = lostWatching(states, clock);
		this.ray.jobs = List.of(Rays.running(Rays.raylaneJob("j1", "default"), "127.10.0.2"),
				Rays.running(Rays.raylaneJob("j2", "default"), "127.10.0.2"));
		poller.pollOnce();
		// the head restarts: its job list is empty
		this.ray.jobs = List.of();
		clock.advance(Duration.ofSeconds(2));
		poller.pollOnce();
		clock.advance(Duration.ofSeconds(58));
		poller.pollOnce();
		assertThat(this.sink.lost).isEmpty();

		clock.advance(Duration.ofSeconds(2));
		RayPoller.Report report = poller.pollOnce();
		clock.advance(Duration.ofSeconds(2));
		poller.pollOnce();

		assertThat(report.jobsPublished()).isEqualTo(2);
		assertThat(this.sink.lost).extracting(JobLost::jobId, JobLost::lastStatus, JobLost::missingSince)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("j1", "RUNNING", Instant.ofEpochSecond(2)),
					org.assertj.core.groups.Tuple.tuple("j2", "RUNNING", Instant.ofEpochSecond(2)));
	}

	@Test
	void shouldNotCountAFailedAnswerAsMissing() {
		TestHeldJobs states = new TestHeldJobs().publish("j1", JobStatus.RUNNING);
		TestClock clock = new TestClock(Instant.EPOCH);
		RayPoller poller = lostWatching(states, clock);
		// the head is down for two minutes
		this.ray.jobsFail = true;
		for (int i = 0; i < 60; i++) {
			clock.advance(Duration.ofSeconds(2));
			poller.pollOnce();
		}
		// it answers again, without the job: the grace starts now
		this.ray.jobsFail = false;
		this.ray.jobs = List.of();
		poller.pollOnce();
		clock.advance(Duration.ofSeconds(58));
		poller.pollOnce();
		assertThat(this.sink.lost).isEmpty();

		clock.advance(Duration.ofSeconds(2));
		poller.pollOnce();

		assertThat(this.sink.lost).extracting(JobLost::missingSince).containsExactly(Instant.ofEpochSecond(120));
	}

	@Test
	void shouldNotReportAJobThatEndedOrThatRayListsAgain() {
		TestHeldJobs states = new TestHeldJobs().publish("j1", JobStatus.RUNNING).publish("j2", JobStatus.SUBMITTED);
		TestClock clock = new TestClock(Instant.EPOCH);
		RayPoller poller = lostWatching(states, clock);
		this.ray.jobs = List.of();
		poller.pollOnce();
		clock.advance(Duration.ofSeconds(30));
		// j1 ended meanwhile (its Ray entry deleted after the log archive); Ray lists j2
		// again
		states.publish("j1", JobStatus.SUCCEEDED);
		this.ray.jobs = List.of(Rays.raylaneJob("j2", "default"));
		poller.pollOnce();
		this.ray.jobs = List.of();
		clock.advance(Duration.ofSeconds(40));
		poller.pollOnce();

		assertThat(this.sink.lost).isEmpty();
	}

	@Test
	void shouldJudgeNothingWhileTheJobStatesCannotBeReadToTheEnd() {
		TestHeldJobs states = new TestHeldJobs().publish("j1", JobStatus.RUNNING);
		TestClock clock = new TestClock(Instant.EPOCH);
		RayPoller poller = lostWatching(states, clock);
		this.ray.jobs = List.of();
		poller.pollOnce();
		states.endMovesAhead();
		clock.advance(Duration.ofSeconds(120));

		poller.pollOnce();

		assertThat(this.sink.lost).isEmpty();
	}

	private RayPoller lostWatching(TestHeldJobs states, TestClock clock) {
		return new RayPoller(this.ray, this.sink, clock, new Attribution(states.dispatched()::get, (v, j) -> {
		}), null, null, null, new LostJobWatch(states.reader(), Duration.ofSeconds(60), Duration.ofMillis(200)));
	}

	static final class FakeRay implements RayStateClient {

		List<RayJobDetails> jobs = List.of();

		List<RayNodeState> nodes = List.of();

		boolean jobsFail;

		boolean nodesFail;

		List<io.raylane.rayclient.wire.RayPlacementGroupState> groups = List.of();

		List<io.raylane.rayclient.wire.RayActorState> actors = List.of();

		@Override
		public List<io.raylane.rayclient.wire.RayPlacementGroupState> placementGroups() {
			return this.groups;
		}

		@Override
		public List<io.raylane.rayclient.wire.RayActorState> actors() {
			return this.actors;
		}

		@Override
		public List<RayJobDetails> jobs() {
			if (this.jobsFail) {
				throw new RayPollException("GET /api/jobs/ answered 500: boom");
			}
			return this.jobs;
		}

		@Override
		public List<RayNodeState> nodes() {
			if (this.nodesFail) {
				throw new RayPollException("GET /api/v0/nodes answered 503");
			}
			return this.nodes;
		}

	}

	/**
	 * Takes whole batches, as a transaction would: all of a batch or, when failing, none
	 * of it.
	 */
	static final class RecordingSink implements BatchPublisher {

		final List<JobObserved> jobs = new ArrayList<>();

		final List<JobLost> lost = new ArrayList<>();

		final List<NodeObserved> nodes = new ArrayList<>();

		final List<PollBatch> batches = new ArrayList<>();

		boolean failing;

		@Override
		public void publish(PollBatch batch) {
			if (this.failing) {
				throw new IllegalStateException("broker down");
			}
			this.batches.add(batch);
			batch.jobs().forEach((o) -> {
				if (o instanceof JobObserved observed) {
					this.jobs.add(observed);
				}
				else if (o instanceof JobLost lostJob) {
					this.lost.add(lostJob);
				}
			});
			this.nodes.addAll(batch.nodes());
		}

	}

}
