package io.raylane.api.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.raylane.api.ApiProperties;
import io.raylane.api.audit.AuditPublisher;
import io.raylane.support.RaylaneSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.session.DisableEncodeUrlFilter;

/**
 * Bearer-token security of the API, built from Spring Security's OAuth2 resource-server
 * support: the {@code BearerTokenAuthenticationFilter} reads
 * {@code Authorization: Bearer <token>} and asks {@link UsersOpaqueTokenIntrospector} who
 * it is. Access rules:
 * <ul>
 * <li>{@code /actuator/health} (and its groups): public, so load balancers and the
 * launcher can probe it;</li>
 * <li>the web console's static files ({@code /}, {@code /index.html},
 * {@code /console/**}): public, since the page asks for the token itself; every call it
 * makes to {@code /v1/**} carries the token like any client's (issue 15);</li>
 * <li>{@code /actuator/prometheus}: any valid token (give the scraper its own user with
 * role user);</li>
 * <li>other actuator endpoints: admin;</li>
 * <li>everything else, {@code /v1/**} included: any valid token; ownership is checked per
 * job.</li>
 * </ul>
 * A 401 counts as a failed login (metric), and every refused request (400, 401, 403, 413,
 * 415, 429) is audited ({@link RefusalAudit}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

	/**
	 * The web console's static files: the page and its script, style sheet and icon, and
	 * nothing under {@code /v1/**}.
	 */
	static final String[] CONSOLE_PATHS = { "/", "/index.html", "/console/*" };

	/**
	 * The Content-Security-Policy of every answer (issue 15): the console runs only its
	 * own script from this origin (no inline script or style, no other host), talks only
	 * to this API, and cannot be framed; for JSON answers it costs nothing.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

	@Bean
	UserDirectory userDirectory(RaylaneSettings settings, ApiProperties properties) {
		UserDirectory users = UsersLoader.load(settings.users(), properties.users().generateDevUsers(),
				settings.data().dir());
		log.info("API users: {}", users.names());
		return users;
	}

	@Bean
	OpaqueTokenIntrospector usersOpaqueTokenIntrospector(UserDirectory userDirectory) {
		return new UsersOpaqueTokenIntrospector(userDirectory);
	}

	/**
	 * Issue 17: no Micrometer observations of Spring Security's own steps. With an
	 * observation registry present, Spring Security wraps every filter of the chain, each
	 * authentication and each authorization in an observation (timers, events), work done
	 * for every request on the API's hottest path (a profile at 25 jobs/s put three
	 * quarters of a POST's CPU in Spring Security's chain and Spring MVC together).
	 * Nothing reads those metrics; each request is still timed as a whole
	 * ({@code http_server_requests}), and failed logins and refusals keep their own
	 * metric and audit.
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	SecurityFilterChain apiSecurity(HttpSecurity http, OpaqueTokenIntrospector usersOpaqueTokenIntrospector,
			MeterRegistry registry, UserDirectory userDirectory, AuditPublisher audit) throws Exception {
		JsonAuthenticationEntryPoint entryPoint = new JsonAuthenticationEntryPoint(registry);
		JsonAccessDeniedHandler denied = new JsonAccessDeniedHandler();
		http.authorizeHttpRequests((requests) -> requests
			// the OpenAPI document is public, like any API's reference
			.requestMatchers("/actuator/health", "/actuator/health/**", "/error", "/v3/api-docs", "/v3/api-docs/**",
					"/v3/api-docs.yaml")
			.permitAll()
			.requestMatchers(HttpMethod.GET, CONSOLE_PATHS)
			.permitAll()
			.requestMatchers("/actuator/prometheus")
			.authenticated()
			.requestMatchers("/actuator", "/actuator/**")
			.hasRole("ADMIN")
			.anyRequest()
			.authenticated())
			.oauth2ResourceServer((resourceServer) -> resourceServer
				.opaqueToken((opaque) -> opaque.introspector(usersOpaqueTokenIntrospector))
				.authenticationEntryPoint(entryPoint)
				.accessDeniedHandler(denied))
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(entryPoint).accessDeniedHandler(denied))
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
				.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
			// a token API: no sessions, no cookies, hence no CSRF surface
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable())
			.requestCache((cache) -> cache.disable())
			// first in the chain: sees the final status of every request, refused ones
			// are audited (issue 12)
			.addFilterBefore(new RefusalAudit(userDirectory, audit::record), DisableEncodeUrlFilter.class);
		return http.build();
	}

}
