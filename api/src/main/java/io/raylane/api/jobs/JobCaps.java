package io.raylane.api.jobs;

import java.util.HashMap;
import java.util.Map;

import io.raylane.support.RaylaneSettings;
import io.raylane.support.users.UsersFile;

import org.springframework.stereotype.Component;

/**
 * How many jobs each user may have queued or running (issue 12 "Fair use of shared
 * limits"): {@code max_jobs} of the user's entry in the users file, else
 * {@code raylane.jobs.max-active-per-user} (1000). The API refuses a submission beyond it
 * with 429; the scheduler, which reads the same file, rejects a SubmitJob beyond it from
 * any other producer. Read at start-up, like the users.
 */
@Component
final class JobCaps {

	private final Map<String, Integer> perUser = new HashMap<>();

	private final int defaultCap;

	JobCaps(RaylaneSettings settings) {
		this.defaultCap = settings.jobs().maxActivePerUser();
		if (settings.users().hasFile() && settings.users().file().toFile().isFile()) {
			for (UsersFile.Entry entry : UsersFile.readKnownFields(settings.users().file()).users()) {
				if (entry != null && entry.name() != null && entry.maxJobs() != null) {
					this.perUser.put(entry.name(), entry.maxJobs());
				}
			}
		}
	}

	/** The most jobs {@code user} may have queued or running at once. */
	int of(String user) {
		return this.perUser.getOrDefault(user, this.defaultCap);
	}

}
