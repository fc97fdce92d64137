package io.raylane.api.security;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class UsersOpaqueTokenIntrospectorTest {

	private final UsersOpaqueTokenIntrospector introspector = new UsersOpaqueTokenIntrospector(new UserDirectory(
			List.of(new ApiUser("ops", Set.of(Role.ADMIN, Role.USER), UserDirectory.sha256("ops-token")))));

	@Test
	void shouldMapAKnownTokenToItsUserAndRoleAuthorities() {
		OAuth2AuthenticatedPrincipal principal = this.introspector.introspect("ops-token");

		assertThat(principal.getName()).isEqualTo("ops");
		assertThat(principal.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactlyInAnyOrder("ROLE_ADMIN", "ROLE_USER");
	}

	@Test
	void shouldRefuseAnUnknownTokenWithoutEchoingIt() {
		assertThatExceptionOfType(BadOpaqueTokenException.class)
			.isThrownBy(() -> this.introspector.introspect("guess-123"))
			.withMessageNotContaining("guess-123");
	}

}
