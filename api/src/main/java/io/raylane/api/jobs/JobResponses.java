package io.raylane.api.jobs;

import java.util.List;

import io.raylane.topics.job.JobView;
import io.swagger.v3.oas.annotations.media.Schema;

/** The bodies of the job endpoints' successful answers (snake_case on the wire). */
final class JobResponses {

	private JobResponses() {
	}

	/** {@code POST /v1/jobs} and {@code :stop}: what happened to which job. */
	@Schema(name = "JobAck")
	record Ack(String jobId, String status, String detail) {

		Ack(String jobId, String status) {
			this(jobId, status, null);
		}

	}

	/**
	 * {@code GET /v1/jobs}: a page of the caller's jobs (an admin's: all), newest first;
	 * {@code next_page_token} is the {@code page_token} of the next page, null on the
	 * last.
	 */
	record JobList(List<JobView> jobs, String nextPageToken) {
	}

	/** {@code GET /v1/jobs/{id}/logs}. */
	record Logs(String jobId, String logs) {
	}

}
