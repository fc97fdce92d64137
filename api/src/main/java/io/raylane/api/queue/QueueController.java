package io.raylane.api.queue;

import java.util.Comparator;

import io.raylane.api.Pages;
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

	/**
	 * A page of the queue (issue 12): {@code limit} (default 100, at most 1000) jobs from
	 * the {@code page_token} of the previous answer on; positions count from the head of
	 * the whole queue.
	 */
	@GetMapping("/v1/queue")
	QueueResponse queue(@RequestParam(required = false) String pool, @RequestParam(required = false) Integer limit,
			@RequestParam(name = "page_token", required = false) String pageToken, Authentication authentication) {
		if (pool == null || pool.isBlank()) {
			throw ApiException.badRequest("invalid_parameter", "pool", "pool is required, e.g. /v1/queue?pool=default");
		}
		Caller caller = Caller.of(authentication);
		QueueResponse whole = QueueResponse.of(pool, this.views.queued(pool), caller);
		Pages.Page<QueueResponse.QueuedJob> page = Pages.of(whole.jobs(),
				(job) -> JobViewStore.sortKey(job.submittedAt(), job.jobId()), Comparator.naturalOrder(), limit,
				pageToken);
		return new QueueResponse(pool, page.items(), page.nextPageToken());
	}

}
