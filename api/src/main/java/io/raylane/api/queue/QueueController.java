package io.raylane.api.queue;

import io.raylane.api.errors.ApiException;
import io.raylane.api.jobs.JobViewStore;
import io.raylane.api.security.Caller;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/queue?pool=<pool>}: a pool's QUEUED jobs in queue order, each with its
 * position, every reason it waits and its estimated start, from the read model of
 * {@code raylane.job-states}. Every user sees the whole queue (so a wait can be
 * explained); the names and owners of other users' jobs are hidden.
 */
@RestController
class QueueController {

	private final JobViewStore views;

	QueueController(JobViewStore views) {
		this.views = views;
	}

	@GetMapping("/v1/queue")
	QueueResponse queue(@RequestParam(required = false) String pool, Authentication authentication) {
		if (pool == null || pool.isBlank()) {
			throw ApiException.badRequest("invalid_parameter", "pool", "pool is required, e.g. /v1/queue?pool=default");
		}
		Caller caller = Caller.of(authentication);
		return QueueResponse.of(pool, this.views.queued(pool), caller);
	}

}
