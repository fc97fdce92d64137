package io.raylane.api.usage;

import java.time.Clock;
import java.time.Instant;

import io.raylane.api.errors.ApiException;
import io.raylane.api.security.Caller;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/usage?group_by=user|pool|job&from=&to=&user=}: GPU time from the
 * accounting records of {@code raylane.accounting} (via {@link UsageLedger}), summed by
 * {@link UsageAggregator}. A regular user sees only their own records ({@code user=}
 * someone else is 403); an admin sees everyone's, or one user's with {@code user=}.
 * Answers from what has been read so far and says how fresh that is ({@code as_of}).
 * Reads are not audited (the API audits commands only).
 */
@RestController
class UsageController {

	private final UsageLedger ledger;

	private final AccountingReader reader;

	private final Clock clock;

	UsageController(UsageLedger ledger, AccountingReader reader, Clock clock) {
		this.ledger = ledger;
		this.reader = reader;
		this.clock = clock;
	}

	@GetMapping("/v1/usage")
	UsageResponse usage(@RequestParam(name = "group_by", required = false) String groupBy,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) String user, Authentication authentication) {
		// 1. every refusal first: parameters, then who may see what
		GroupBy grouping = GroupBy.parse(groupBy);
		UsageWindow window = UsageWindow.parse(from, to, this.clock.instant());
		Caller caller = Caller.of(authentication);
		String only = (user == null || user.isBlank()) ? null : user.trim();
		if (!caller.admin()) {
			if (only != null && !only.equals(caller.name())) {
				throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "user",
						"only an admin may see another user's usage");
			}
			only = caller.name();
		}
		// 2. freshness before the sum, so as_of never claims records the sum did not see
		Instant asOf = this.reader.upToDateAt();
		return UsageResponse.of(grouping, only, window, asOf,
				UsageAggregator.aggregate(this.ledger.jobs(only), grouping, window), this.ledger.completeSince());
	}

}
