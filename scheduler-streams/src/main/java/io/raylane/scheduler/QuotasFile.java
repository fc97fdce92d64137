package io.raylane.scheduler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.raylane.scheduler.core.GpuQuotas;
import io.raylane.topics.json.Json;
import tools.jackson.core.JacksonException;

/**
 * Reads the per-user GPU quotas from the users file ({@code raylane.users.file}): only each entry's
 * {@code name} and {@code gpu_quota}, never its token. The scheduler cannot see the API's memory, so it reads
 * the same file itself; users without {@code gpu_quota} get {@code raylane.scheduler.default-gpu-quota}
 * (unlimited when unset). Read at start-up: a changed quota applies after a restart.
 */
final class QuotasFile {

	private QuotasFile() {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record UsersFile(List<Entry> users) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	record Entry(String name, Integer gpuQuota) {
	}

	static GpuQuotas load(String usersFile, Integer defaultQuota) {
		Map<String, Integer> perUser = new HashMap<>();
		if (usersFile != null && !usersFile.isBlank() && Files.isRegularFile(Path.of(usersFile))) {
			UsersFile parsed;
			try {
				parsed = Json.yaml().readValue(Files.readAllBytes(Path.of(usersFile)), UsersFile.class);
			}
			catch (IOException | JacksonException ex) {
				throw new IllegalStateException("users file " + usersFile + " is unreadable: " + ex.getMessage(), ex);
			}
			if (parsed != null && parsed.users() != null) {
				for (Entry entry : parsed.users()) {
					if (entry != null && entry.name() != null && entry.gpuQuota() != null) {
						perUser.put(entry.name(), entry.gpuQuota());
					}
				}
			}
		}
		return new GpuQuotas(perUser, defaultQuota);
	}

}
