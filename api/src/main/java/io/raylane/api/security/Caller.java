package io.raylane.api.security;

import org.springframework.security.core.Authentication;

/**
 * Who is calling, as the controllers need it: the user name and whether it is an admin.
 *
 * @param name the authenticated user's name
 * @param admin whether it holds the admin role (sees and stops every job)
 */
public record Caller(String name, boolean admin) {

	public static Caller of(Authentication authentication) {
		boolean admin = authentication.getAuthorities()
			.stream()
			.anyMatch((a) -> Role.ADMIN_AUTHORITY.equals(a.getAuthority()));
		return new Caller(authentication.getName(), admin);
	}

	/** Whether this caller may see (and act on) a job owned by {@code owner}. */
	public boolean canSee(String owner) {
		return this.admin || this.name.equals(owner);
	}

}
