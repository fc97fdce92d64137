package io.raylane.api.security;

import java.util.List;
import java.util.Map;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * Spring Security's opaque-token introspection, answered from the {@link UserDirectory}
 * instead of an OAuth2 server: a known token becomes a principal named after its user,
 * with {@code ROLE_USER} / {@code ROLE_ADMIN} authorities; an unknown one fails (the
 * entry point answers 401).
 */
final class UsersOpaqueTokenIntrospector implements OpaqueTokenIntrospector {

	private final UserDirectory users;

	UsersOpaqueTokenIntrospector(UserDirectory users) {
		this.users = users;
	}

	@Override
	public OAuth2AuthenticatedPrincipal introspect(String token) {
		ApiUser user = this.users.authenticate(token)
			.orElseThrow(() -> new BadOpaqueTokenException("unknown bearer token"));
		List<GrantedAuthority> authorities = user.roles()
			.stream()
			.map(Role::authority)
			.map(GrantedAuthority.class::cast)
			.toList();
		List<String> roles = user.roles()
			.stream()
			.map((r) -> r.name().toLowerCase(java.util.Locale.ROOT))
			.sorted()
			.toList();
		return new DefaultOAuth2AuthenticatedPrincipal(user.name(), Map.of("sub", user.name(), "roles", roles),
				authorities);
	}

}
