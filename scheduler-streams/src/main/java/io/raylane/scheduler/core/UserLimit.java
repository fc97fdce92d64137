package io.raylane.scheduler.core;

import java.util.Map;

/**
 * A per-user cap (issue 12 "Fair use of shared limits"): a user's own value from the
 * users file, or the configured default; null means no cap. Used for the jobs a user may
 * have queued or running ({@code max_jobs}) and the jobs a user may have on the Ray head
 * ({@code max_ray_jobs}).
 *
 * @param perUser user name to cap
 * @param defaultLimit the cap of users without their own; null for none
 */
public record UserLimit(Map<String, Integer> perUser, Integer defaultLimit) {

	public static final UserLimit UNLIMITED = new UserLimit(Map.of(), null);

	public UserLimit {
		perUser = (perUser != null) ? Map.copyOf(perUser) : Map.of();
	}

	/** The same cap for every user. */
	public static UserLimit of(Integer limit) {
		return new UserLimit(Map.of(), limit);
	}

	/** The user's cap, or null when there is none. */
	public Integer limitOf(String user) {
		Integer own = (user != null) ? this.perUser.get(user) : null;
		return (own != null) ? own : this.defaultLimit;
	}

	/** Whether a user holding {@code held} may take {@code more}. */
	public boolean allows(String user, int held, int more) {
		Integer limit = limitOf(user);
		return limit == null || held + more <= limit;
	}

}
