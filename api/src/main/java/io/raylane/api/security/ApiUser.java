package io.raylane.api.security;

import java.util.Set;

/**
 * One caller of the API. Only the SHA-256 of the token is kept in memory; the token
 * itself is never stored, logged or written to a record.
 *
 * @param name the user name (owner of jobs)
 * @param roles its roles
 * @param tokenSha256 SHA-256 of its bearer token
 */
record ApiUser(String name, Set<Role> roles, byte[] tokenSha256) {

	ApiUser {
		roles = Set.copyOf(roles);
		tokenSha256 = tokenSha256.clone();
	}

	@Override
	public String toString() {
		return "ApiUser[" + this.name + ", " + this.roles + "]";
	}

}
