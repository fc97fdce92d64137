package io.raylane.api.jobs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobViewStoreTest {

	private final JobViewStore store = new JobViewStore();

	@Test
	void shouldLetTheTopicSnapshotReplaceThePlaceholder() {
		this.store.addPlaceholder(view("rl-1", "alice", JobStatus.ACCEPTED, 1));
		this.store.apply(view("rl-1", "alice", JobStatus.QUEUED, 1));

		assertThat(this.store.get("rl-1")).get().extracting(JobView::status).isEqualTo(JobStatus.QUEUED);
	}

	@Test
	void shouldNeverReplaceASnapshotWithThePlaceholder() {
		this.store.apply(view("rl-1", "alice", JobStatus.RUNNING, 1));

		boolean inserted = this.store.addPlaceholder(view("rl-1", "alice", JobStatus.ACCEPTED, 1));

		assertThat(inserted).isFalse();
		assertThat(this.store.get("rl-1")).get().extracting(JobView::status).isEqualTo(JobStatus.RUNNING);
	}

	@Test
	void shouldListOnlyTheUsersOwnJobsNewestFirst() {
		this.store.apply(view("rl-old", "alice", JobStatus.QUEUED, 1));
		this.store.apply(view("rl-new", "alice", JobStatus.RUNNING, 3));
		this.store.apply(view("rl-bob", "bob", JobStatus.QUEUED, 2));

		assertThat(this.store.list("alice", null)).extracting(JobView::jobId).containsExactly("rl-new", "rl-old");
		assertThat(this.store.list("carol", null)).isEmpty();
	}

	@Test
	void shouldListEveryJobForAnAdminNewestFirst() {
		this.store.apply(view("rl-a", "alice", JobStatus.QUEUED, 1));
		this.store.apply(view("rl-b", "bob", JobStatus.QUEUED, 2));

		assertThat(this.store.list(null, null)).extracting(JobView::jobId).containsExactly("rl-b", "rl-a");
	}

	@Test
	void shouldFilterByStatus() {
		this.store.apply(view("rl-q", "alice", JobStatus.QUEUED, 1));
		this.store.apply(view("rl-r", "alice", JobStatus.RUNNING, 2));

		assertThat(this.store.list("alice", JobStatus.QUEUED)).extracting(JobView::jobId).containsExactly("rl-q");
		assertThat(this.store.list(null, JobStatus.RUNNING)).extracting(JobView::jobId).containsExactly("rl-r");
	}

	@Test
	void shouldForgetAJobOnATombstone() {
		this.store.apply(view("rl-1", "alice", JobStatus.SUCCEEDED, 1));

		this.store.remove("rl-1");

		assertThat(this.store.get("rl-1")).isEmpty();
		assertThat(this.store.list("alice", null)).isEmpty();
	}

	@Test
	void shouldMoveAJobBetweenOwnersIfTheSnapshotSaysSo() {
		this.store.apply(view("rl-1", "alice", JobStatus.QUEUED, 1));
		this.store.apply(view("rl-1", "bob", JobStatus.QUEUED, 1));

		assertThat(this.store.list("alice", null)).isEmpty();
		assertThat(this.store.list("bob", null)).extracting(JobView::jobId).containsExactly("rl-1");
	}

	@Test
	void shouldKeepJobCountsByStatusAsViewsComeAndGo() {
		this.store.addPlaceholder(view("rl-1", "alice", JobStatus.ACCEPTED, 1));
		this.store.apply(view("rl-1", "alice", JobStatus.QUEUED, 1));
		this.store.apply(view("rl-2", "bob", JobStatus.QUEUED, 2));
		this.store.apply(view("rl-3", "bob", JobStatus.RUNNING, 3));
		this.store.apply(view("rl-2", "bob", JobStatus.RUNNING, 2));
		this.store.remove("rl-3");

		assertThat(this.store.count(JobStatus.ACCEPTED)).isZero();
		assertThat(this.store.count(JobStatus.QUEUED)).isEqualTo(1);
		assertThat(this.store.count(JobStatus.RUNNING)).isEqualTo(1);
		assertThat(this.store.count(JobStatus.SUCCEEDED)).isZero();
	}

	@Test
	void shouldKeepQueueDepthAndOldestQueuedJobPerPool() {
		this.store.apply(view("rl-1", "alice", JobStatus.QUEUED, 10));
		this.store.apply(view("rl-2", "alice", JobStatus.QUEUED, 20));
		this.store.apply(view("rl-3", "bob", JobStatus.QUEUED, 30));
		this.store.apply(view("rl-3", "bob", JobStatus.QUEUED, 30));
		this.store.apply(view("rl-1", "alice", JobStatus.DISPATCHED, 10));

		assertThat(this.store.queueDepth("default")).isEqualTo(2);
		assertThat(this.store.oldestQueuedSubmittedAt("default")).isEqualTo(Instant.ofEpochSecond(20));
		assertThat(this.store.queuePools()).containsExactly("default");

		this.store.remove("rl-2");
		this.store.apply(view("rl-3", "bob", JobStatus.STOPPED, 30));

		assertThat(this.store.queueDepth("default")).isZero();
		assertThat(this.store.oldestQueuedSubmittedAt("default")).isNull();
		assertThat(this.store.queueDepth("elsewhere")).isZero();
	}

	@Test
	void shouldCountEachUsersJobsNotEndedPlaceholdersIncluded() {
		this.store.addPlaceholder(view("rl-1", "alice", JobStatus.ACCEPTED, 1));
		this.store.apply(view("rl-2", "alice", JobStatus.RUNNING, 2));
		this.store.apply(view("rl-3", "alice", JobStatus.SUCCEEDED, 3));
		this.store.apply(view("rl-4", "bob", JobStatus.QUEUED, 4));

		assertThat(this.store.active("alice")).isEqualTo(2);
		this.store.apply(view("rl-2", "alice", JobStatus.FAILED, 2));
		assertThat(this.store.active("alice")).isEqualTo(1);
		assertThat(this.store.active("bob")).isEqualTo(1);
		assertThat(this.store.active("carol")).isZero();
	}

	/**
	 * Issue 12: the read model does not grow with history; the job that ended first goes
	 * first, and jobs not ended are never dropped.
	 */
	@Test
	void shouldKeepAtMostTheConfiguredEndedJobsDroppingTheOldestEnded() {
		JobViewStore bounded = new JobViewStore(2);
		bounded.apply(view("rl-running", "alice", JobStatus.RUNNING, 1));
		bounded.apply(ended("rl-a", JobStatus.SUCCEEDED, 10));
		bounded.apply(ended("rl-b", JobStatus.FAILED, 30));
		bounded.apply(ended("rl-c", JobStatus.STOPPED, 20));

		assertThat(bounded.get("rl-a")).isEmpty();
		assertThat(bounded.list("alice", null)).extracting(JobView::jobId)
			.containsExactlyInAnyOrder("rl-running", "rl-b", "rl-c");
		assertThat(bounded.count(JobStatus.SUCCEEDED)).isZero();
		assertThat(bounded.size()).isEqualTo(3);

		bounded.apply(ended("rl-running", JobStatus.SUCCEEDED, 40));

		assertThat(bounded.size()).isEqualTo(2);
		assertThat(bounded.get("rl-c")).isEmpty();
		assertThat(bounded.active("alice")).isZero();
	}

	@Test
	void sortKeysAreTheFormattedTimeThenIdAndNewestFirstAgreesWithThem() {
		List<Instant> times = List.of(Instant.EPOCH, Instant.ofEpochSecond(1_764_748_800L, 5),
				Instant.ofEpochSecond(1_764_748_800L, 999_999_999), Instant.ofEpochSecond(-3, 7), Instant.MAX);
		List<JobView> views = new ArrayList<>();
		for (Instant at : times) {
			for (String id : List.of("rl-a", "rl-ab", "rl-b")) {
				// the key's definition, as it was first written (page tokens already
				// given out
				// must keep meaning the same place)
				assertThat(JobViewStore.sortKey(at, id))
					.isEqualTo(String.format("%019d.%09d|%s", Math.max(0, at.getEpochSecond()), at.getNano(), id));
				views.add(view(id, "alice", JobStatus.QUEUED, 0).toBuilder().submittedAt(at).build());
			}
		}
		views.add(view("rl-none", "alice", JobStatus.QUEUED, 0).toBuilder().submittedAt(null).build());
		assertThat(JobViewStore.sortKey(null, "rl-none")).isEqualTo("0000000000000000000.000000000|rl-none");
		Collections.shuffle(views, new Random(17));
		List<String> byComparator = views.stream()
			.sorted(JobViewStore.NEWEST_FIRST)
			.map(JobViewStore::sortKey)
			.toList();
		List<String> byKeys = views.stream().map(JobViewStore::sortKey).sorted(JobViewStore.NEWEST_FIRST_KEYS).toList();
		assertThat(byComparator).isEqualTo(byKeys);
	}

	private static JobView ended(String id, JobStatus status, long endedSecond) {
		return view(id, "alice", status, 1).toBuilder().endedAt(Instant.ofEpochSecond(endedSecond)).build();
	}

	private static JobView view(String id, String user, JobStatus status, long submittedSecond) {
		return JobView.builder()
			.jobId(id)
			.user(user)
			.status(status)
			.pool("default")
			.submittedAt(Instant.ofEpochSecond(submittedSecond))
			.build();
	}

}
