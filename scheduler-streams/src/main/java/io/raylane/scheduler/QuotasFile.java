package io.raylane.scheduler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.raylane.scheduler.core.GpuQuotas;
import io.raylane.support.users.UsersFile;

/**
 * Reads the per-user GPU quotas from the users file ({@code raylane.users.file}): only
 * each entry's {@code name} and {@code gpu_quota}, never its token. The scheduler cannot
 * see the API's memory, so it reads the same file itself ({@link UsersFile}, skipping
 * fields it does not know); users without {@code gpu_quota} get
 * {@code raylane.scheduler.default-gpu-quota} (unlimited when unset). Read at start-up: a
 * changed quota applies after a restart.
 */
final class QuotasFile {

	private QuotasFile() {
	}

	static GpuQuotas load(String usersFile, Integer defaultQuota) {
		Map<String, Integer> perUser = new HashMap<>();
		if (usersFile != null && !usersFile.isBlank() && Files.isRegularFile(Path.of(usersFile))) {
			for (UsersFile.Entry entry : UsersFile.readKnownFields(Path.of(usersFile)).users()) {
				if (entry != null && entry.name() != null && entry.gpuQuota() != null) {
					perUser.put(entry.name(), entry.gpuQuota());
				}
			}
		}
		return new GpuQuotas(perUser, defaultQuota);
	}

}
