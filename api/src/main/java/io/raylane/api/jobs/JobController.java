package io.raylane.api.jobs;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import io.raylane.api.Pages;
import io.raylane.api.audit.AuditPublisher;
import io.raylane.api.errors.ApiException;
import io.raylane.api.jobs.JobResponses.Ack;
import io.raylane.api.jobs.JobResponses.JobList;
import io.raylane.api.jobs.JobResponses.Logs;
import io.raylane.api.security.Caller;
import io.raylane.api.security.UserDirectory;
import io.raylane.support.RaylaneSettings;
import io.raylane.topics.events.StopJob;
import io.raylane.topics.events.SubmitJob;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/jobs}: submit (→ SubmitJob on {@code raylane.job-commands}), list, get, stop
 * (→ StopJob), logs (also followed as they grow). Reads come from {@link JobViewStore}
 * (the view of {@code raylane.job-states}), never from Ray. Another user's job answers
 * 404 exactly like a missing one, so ids reveal nothing. A submission with an
 * {@code Idempotency-Key} that already made a job answers that job
 * ({@link IdempotencyKeys}).
 */
@RestController
@RequestMapping("/v1/jobs")
class JobController {

	private final JobSpecParser parser;

	private final JobCommandPublisher commands;

	private final JobViewStore views;

	private final JobLogs logs;

	private final AuditPublisher audit;

	private final RaylaneSettings settings;

	private final Clock clock;

	private final SharedStorage storage;

	private final JobCaps caps;

	private final UserDirectory users;

	private final LogStreams streams;

	JobController(JobCommandPublisher commands, JobViewStore views, JobLogs logs, AuditPublisher audit,
			RaylaneSettings settings, Clock clock, SharedStorage storage, JobCaps caps, UserDirectory users,
			LogStreams streams) {
		this.streams = streams;
		this.users = users;
		this.parser = new JobSpecParser(settings.jobs().maxTimeout());
		this.caps = caps;
		this.storage = storage;
		this.commands = commands;
		this.views = views;
		this.logs = logs;
		this.audit = audit;
		this.settings = settings;
		this.clock = clock;
	}

	@PostMapping
	ResponseEntity<Ack> submit(HttpServletRequest request,
			@RequestHeader(name = IdempotencyKeys.HEADER, required = false) String idempotencyKey,
			Authentication authentication) throws IOException {
		// 1. parse and validate: every refusal happens here, before anything is written
		Caller caller = Caller.of(authentication);
		Optional<String> key = IdempotencyKeys.of(idempotencyKey);
		JobSpec spec = this.parser.parse(request.getInputStream(), request.getContentType()).withDefaults();
		JobSpecParser.refuseIfAny(this.storage.check(spec, caller.name()));
		spec = resume(spec, caller);
		// 2. a retry with the same Idempotency-Key: the job it made, not a second one
		String jobId = key.map((k) -> idempotentJobId(caller, k)).orElseGet(JobIdGenerator::next);
		Optional<JobView> earlier = key.flatMap((k) -> this.views.get(jobId));
		if (earlier.isPresent()) {
			return replay(earlier.get(), spec);
		}
		refuseBeyondCap(caller.name());
		this.storage.prepare(caller.name());
		// 3. the durable write: answered only once the broker acknowledged it
		Instant now = this.clock.instant();
		this.commands.publish(new SubmitJob(jobId, caller.name(), spec, now));
		// 4. read-your-writes until the scheduler's snapshot replaces it
		this.views.addPlaceholder(JobView.builder()
			.jobId(jobId)
			.name(spec.name())
			.user(caller.name())
			.workload(spec.workload())
			.pool(spec.pool())
			.status(JobStatus.ACCEPTED)
			.resources(spec.resources())
			.submittedAt(now)
			.jobDir(this.settings.shared().jobDir(jobId).toString())
			.spec(spec)
			.updatedAt(now)
			.build());
		this.audit.record(caller.name(), "submit_job", jobId, "accepted", request.getRemoteAddr());
		return ResponseEntity.accepted().location(URI.create("/v1/jobs/" + jobId)).body(new Ack(jobId, "ACCEPTED"));
	}

	/**
	 * Issue 13: the spec with the step its {@code resume_from} continues from, or a 400 /
	 * 409 naming the field ({@link ResumeRules}). Before the idempotent replay, so a
	 * retry compares the same filled-in spec.
	 */
	private JobSpec resume(JobSpec spec, Caller caller) {
		Optional<JobView> resumed = (spec.resumeFrom() != null) ? this.views.get(spec.resumeFrom()) : Optional.empty();
		ResumeRules.Outcome outcome = ResumeRules.decide(spec, caller.name(), caller.admin(), resumed,
				ResumeCheckpoints::read);
		if (outcome instanceof ResumeRules.Refuse refuse) {
			throw new ApiException(refuse.conflict() ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST,
					refuse.conflict() ? "cannot_resume" : "invalid_jobspec", refuse.field(), refuse.detail());
		}
		return ((ResumeRules.Resume) outcome).spec();
	}

	private String idempotentJobId(Caller caller, String key) {
		byte[] digest = this.users.keyedDigest(caller.name(), IdempotencyKeys.message(key))
			.orElseThrow(() -> new IllegalStateException("authenticated user " + caller.name() + " is unknown"));
		return IdempotencyKeys.jobId(digest);
	}

	/**
	 * The answer to a retry: 200 with the job's current status; 409 when the key was used
	 * for another JobSpec.
	 */
	private static ResponseEntity<Ack> replay(JobView earlier, JobSpec spec) {
		if (!spec.equals(earlier.spec())) {
			throw new ApiException(HttpStatus.CONFLICT, "idempotency_key_reused", IdempotencyKeys.HEADER,
					"this key already made job " + earlier.jobId() + " with another JobSpec; use a new key");
		}
		return ResponseEntity.ok()
			.location(URI.create("/v1/jobs/" + earlier.jobId()))
			.header("Idempotent-Replayed", "true")
			.body(new Ack(earlier.jobId(), String.valueOf(earlier.status())));
	}

	/**
	 * Issue 12: a user with as many jobs queued or running as they may have
	 * ({@code max_jobs}) gets 429 at once, rather than a job that is rejected later: the
	 * request is refused as a whole and may be sent again once a job ended.
	 */
	private void refuseBeyondCap(String user) {
		long active = this.views.active(user);
		int cap = this.caps.of(user);
		if (active >= cap) {
			throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "too_many_jobs", null,
					"you have " + active + " jobs queued or running, the most one user may have (max_jobs: " + cap
							+ "); submit again once some have ended, or stop some");
		}
	}

	/**
	 * Newest first, a page at a time (issue 12): {@code limit} (default 100, at most
	 * 1000) and the {@code page_token} of the previous answer.
	 */
	@GetMapping
	JobList list(@RequestParam(required = false) String status, @RequestParam(required = false) Integer limit,
			@RequestParam(name = "page_token", required = false) String pageToken, Authentication authentication) {
		Caller caller = Caller.of(authentication);
		Pages.Page<JobView> page = Pages.of(this.views.list(caller.admin() ? null : caller.name(), parseStatus(status)),
				JobViewStore::sortKey, JobViewStore.NEWEST_FIRST_KEYS, limit, pageToken);
		return new JobList(page.items(), page.nextPageToken());
	}

	@GetMapping("/{id}")
	JobView get(@PathVariable String id, Authentication authentication) {
		return this.views.withLivePosition(visible(id, Caller.of(authentication)));
	}

	@PostMapping("/{id}:stop")
	ResponseEntity<Ack> stop(@PathVariable String id, HttpServletRequest request, Authentication authentication) {
		Caller caller = Caller.of(authentication);
		JobView view = visible(id, caller);
		if (view.status() != null && view.status().isTerminal()) {
			return ResponseEntity.ok(new Ack(id, view.status().name(), "job already ended; nothing to stop"));
		}
		this.commands.publish(new StopJob(id, view.pool(), caller.name(), "user", this.clock.instant()));
		this.audit.record(caller.name(), "stop_job", id, "accepted", request.getRemoteAddr());
		return ResponseEntity.accepted().body(new Ack(id, "STOP_REQUESTED"));
	}

	@GetMapping("/{id}/logs")
	Logs logs(@PathVariable String id, Authentication authentication) {
		JobView view = visible(id, Caller.of(authentication));
		return new Logs(id, this.logs.of(view));
	}

	/**
	 * Issue 15: the driver log streamed as it grows (chunked {@code text/plain}) until
	 * the job ends, bounded per connection ({@link LogStreams}). The same owner check as
	 * the plain route, before anything is sent.
	 */
	@Hidden // one operation with the plain route in the OpenAPI document (ApiOperations)
	@GetMapping(path = "/{id}/logs", params = "follow=true")
	void followLogs(@PathVariable String id, Authentication authentication, HttpServletResponse response)
			throws IOException {
		this.streams.follow(visible(id, Caller.of(authentication)), response);
	}

	private JobView visible(String id, Caller caller) {
		return this.views.get(id)
			.filter((view) -> caller.canSee(view.user()))
			.orElseThrow(() -> ApiException.notFound("job_not_found", "no job " + id));
	}

	private static JobStatus parseStatus(String status) {
		if (status == null || status.isBlank()) {
			return null;
		}
		try {
			return JobStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.badRequest("invalid_parameter", "status",
					"unknown status '" + status + "' (one of: " + java.util.Arrays.toString(JobStatus.values()) + ")");
		}
	}

}
