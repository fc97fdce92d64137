package io.raylane.api.security;

import java.util.Locale;

import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A role in the users file ({@code user}, {@code admin}) and the Spring authority it maps
 * to.
 */
public enum Role {

	USER, ADMIN;

	public static final String ADMIN_AUTHORITY = "ROLE_ADMIN";

	public SimpleGrantedAuthority authority() {
		return new SimpleGrantedAuthority("ROLE_" + name());
	}

	static Role parse(String text) {
		for (Role role : values()) {
			if (role.name().toLowerCase(Locale.ROOT).equals(text)) {
				return role;
			}
		}
		throw new IllegalArgumentException("unknown role '" + text + "' (one of: user, admin)");
	}

}
