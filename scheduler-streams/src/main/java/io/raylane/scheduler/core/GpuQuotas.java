package io.raylane.scheduler.core;

import java.util.Map;

/**
 * Per-user limits on GPUs held at once: a user's own value ({@code gpu_quota} in the
 * users file) or the default ({@code raylane.scheduler.default-gpu-quota}); null means
 * unlimited.
 *
 * @param perUser user name to GPU limit
 * @param defaultQuota the limit of users without their own; null for unlimited
 */
public record GpuQuotas(Map<String, Integer> perUser, Integer defaultQuota) {

	public static final GpuQuotas UNLIMITED = new GpuQuotas(Map.of(), null);

	public GpuQuotas {
		perUser = (perUser != null) ? Map.copyOf(perUser) : Map.of();
	}

	/** The user's limit, or null when unlimited. */
	public Integer limitOf(String user) {
		Integer own = (user != null) ? this.perUser.get(user) : null;
		return (own != null) ? own : this.defaultQuota;
	}

}
