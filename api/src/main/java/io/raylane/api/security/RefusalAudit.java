package io.raylane.api.security;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Audits refused requests on {@code raylane.audit} (issue 12): every answer 400, 401,
 * 403, 413, 415 or 429, whoever sent it, so repeated bad tokens and probing show up next
 * to the accepted commands. The first filter of the security chain, so it sees the final
 * status of everything behind it: Spring Security's 401 and 403 and the controllers'
 * refusals. The user is the token's owner, {@code anonymous} without a token, or
 * {@code unknown-token}; the token itself is never written.
 */
final class RefusalAudit extends OncePerRequestFilter {

	static final Set<Integer> REFUSED = Set.of(400, 401, 403, 413, 415, 429);

	static final String ANONYMOUS = "anonymous";

	static final String UNKNOWN_TOKEN = "unknown-token";

	private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+(\\S+)\\s*");

	private static final int MAX_SUBJECT = 200;

	private final UserDirectory users;

	private final Auditor audit;

	/** Where a refusal goes ({@code AuditPublisher::record}). */
	@FunctionalInterface
	interface Auditor {

		void record(String user, String action, String subject, String outcome, String remote);

	}

	RefusalAudit(UserDirectory users, Auditor audit) {
		this.users = users;
		this.audit = audit;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		finally {
			int status = response.getStatus();
			if (REFUSED.contains(status)) {
				Refusal refusal = Refusal.of(request.getMethod(), request.getRequestURI(), status);
				this.audit.record(userOf(request.getHeader("Authorization")), refusal.action(), refusal.subject(),
						refusal.outcome(), request.getRemoteAddr());
			}
		}
	}

	private String userOf(String authorization) {
		if (authorization == null || authorization.isBlank()) {
			return ANONYMOUS;
		}
		Matcher bearer = BEARER.matcher(authorization);
		Optional<ApiUser> user = bearer.matches() ? this.users.authenticate(bearer.group(1)) : Optional.empty();
		return user.map(ApiUser::name).orElse(UNKNOWN_TOKEN);
	}

	/**
	 * What a refused request was, in the audit's words: the action of the command it
	 * tried ({@code submit_job}, {@code stop_job}, {@code register_node}, …) or
	 * {@code request} for any other call, the subject (a job or node id, else the method
	 * and path) and {@code refused: <status>}.
	 */
	record Refusal(String action, String subject, String outcome) {

		private static final Pattern JOB_STOP = Pattern.compile("/v1/jobs/([^/]+):stop");

		private static final Pattern NODE_ACTION = Pattern.compile("/v1/nodes/([^/]+):(drain|undrain)");

		private static final Pattern NODE = Pattern.compile("/v1/nodes/([^/:]+)");

		/**
		 * The ops API (issue 16): the operation is the action, e.g.
		 * cleanup_job_artifacts.
		 */
		private static final Pattern OPS = Pattern.compile("/v1/ops/([a-z_]{1,64})");

		static Refusal of(String method, String path, int status) {
			String verb = String.valueOf(method).toUpperCase(Locale.ROOT);
			String where = (path != null) ? path : "";
			String outcome = "refused: " + status;
			Matcher m;
			if (verb.equals("POST") && where.equals("/v1/jobs")) {
				return new Refusal("submit_job", bounded(verb + " " + where), outcome);
			}
			if (verb.equals("POST") && (m = JOB_STOP.matcher(where)).matches()) {
				return new Refusal("stop_job", bounded(m.group(1)), outcome);
			}
			if (verb.equals("POST") && OPS.matcher(where).matches()) {
				// issue 16: the ops operation's own name, as its accepted calls are
				// audited
				return new Refusal(where.substring("/v1/ops/".length()), bounded(verb + " " + where), outcome);
			}
			if (verb.equals("POST") && where.equals("/v1/nodes")) {
				return new Refusal("register_node", bounded(verb + " " + where), outcome);
			}
			if (verb.equals("POST") && (m = NODE_ACTION.matcher(where)).matches()) {
				return new Refusal(m.group(2) + "_node", bounded(m.group(1)), outcome);
			}
			if (verb.equals("POST") && (m = OPS.matcher(where)).matches()) {
				return new Refusal(m.group(1), bounded(verb + " " + where), outcome);
			}
			if (verb.equals("DELETE") && (m = NODE.matcher(where)).matches()) {
				return new Refusal("decommission_node", bounded(m.group(1)), outcome);
			}
			return new Refusal("request", bounded(verb + " " + where), outcome);
		}

		private static String bounded(String text) {
			return (text.length() > MAX_SUBJECT) ? text.substring(0, MAX_SUBJECT) + "…" : text;
		}

	}

}
