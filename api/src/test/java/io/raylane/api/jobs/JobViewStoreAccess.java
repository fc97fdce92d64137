package io.raylane.api.jobs;

import io.raylane.topics.job.JobView;

/**
 * A test fixture: a real {@link JobViewStore} fed as the reader feeds it, for tests of
 * other packages (the store's {@code apply} is package-private).
 */
public final class JobViewStoreAccess {

	private final JobViewStore store = new JobViewStore();

	public JobViewStore store() {
		return this.store;
	}

	public void apply(JobView view) {
		this.store.apply(view);
	}

}
