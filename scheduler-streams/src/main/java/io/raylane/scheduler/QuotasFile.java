package io.raylane.scheduler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import io.raylane.scheduler.core.GpuQuotas;
import io.raylane.scheduler.core.UserLimit;
import io.raylane.support.users.UsersFile;

/**
 * Reads the per-user GPU quotas and job caps from the users file
 * ({@code raylane.users.file}): only each entry's {@code name}, {@code gpu_quota},
 * {@code max_jobs} and {@code max_ray_jobs}, never its token. The scheduler cannot see
 * the API's memory, so it reads the same file itself ({@link UsersFile}, skipping fields
 * it does not know); users without {@code gpu_quota} get
 * {@code raylane.scheduler.default-gpu-quota} (unlimited when unset). Read at start-up: a
 * changed quota applies after a restart.
 */
final class QuotasFile {

	private QuotasFile() {
	}

	static GpuQuotas load(String usersFile, Integer defaultQuota) {
		return new GpuQuotas(perUser(usersFile, UsersFile.Entry::gpuQuota), defaultQuota);
	}

	/**
	 * Issue 12: each user's cap on jobs on the Ray head ({@code max_ray_jobs}), then
	 * {@code defaultLimit}.
	 */
	static UserLimit rayJobCaps(String usersFile, Integer defaultLimit) {
		return new UserLimit(perUser(usersFile, UsersFile.Entry::maxRayJobs), defaultLimit);
	}

	/**
	 * Issue 12: each user's cap on jobs queued or running ({@code max_jobs}), then
	 * {@code defaultLimit}.
	 */
	static UserLimit activeJobCaps(String usersFile, Integer defaultLimit) {
		return new UserLimit(perUser(usersFile, UsersFile.Entry::maxJobs), defaultLimit);
	}

	private static Map<String, Integer> perUser(String usersFile, Function<UsersFile.Entry, Integer> field) {
		Map<String, Integer> perUser = new HashMap<>();
		if (usersFile != null && !usersFile.isBlank() && Files.isRegularFile(Path.of(usersFile))) {
			for (UsersFile.Entry entry : UsersFile.readKnownFields(Path.of(usersFile)).users()) {
				if (entry != null && entry.name() != null && field.apply(entry) != null) {
					perUser.put(entry.name(), field.apply(entry));
				}
			}
		}
		return perUser;
	}

}
