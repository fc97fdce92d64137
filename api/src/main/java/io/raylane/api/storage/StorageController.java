package io.raylane.api.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.raylane.api.SnapshotTopicReader;
import io.raylane.api.audit.AuditPublisher;
import io.raylane.api.errors.ApiException;
import io.raylane.api.jobs.JobViewStore;
import io.raylane.api.security.Caller;
import io.raylane.api.storage.StorageResponse.JobBytes;
import io.raylane.api.storage.StorageResponse.UserBytes;
import io.raylane.topics.Topics;
import io.raylane.topics.job.JobView;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Storage and cleanup (issue 16): {@code POST /v1/ops/cleanup_job_artifacts} (admins;
 * deletes checkpoints, and on request logs and config, of finished jobs through
 * {@link ArtifactCleanup}, audited on {@code raylane.audit}) and {@code GET /v1/storage}
 * (bytes on the shared storage: an admin sees every user, job and {@code common/}, a user
 * their own). The cleanup answers 503 until the job view has caught up with
 * {@code raylane.job-states}: before that, a finished job could be missed and, worse, a
 * queued job's resume pin.
 */
@RestController
@EnableConfigurationProperties(StorageProperties.class)
class StorageController {

	private final ArtifactCleanup cleanup;

	private final StorageUsage usage;

	private final JobViewStore jobs;

	private final SnapshotTopicReader<JobView> reader;

	private final AuditPublisher audit;

	StorageController(ArtifactCleanup cleanup, StorageUsage usage, JobViewStore jobs,
			SnapshotTopicReader<JobView> reader, AuditPublisher audit) {
		this.cleanup = cleanup;
		this.usage = usage;
		this.jobs = jobs;
		this.reader = reader;
		this.audit = audit;
	}

	@PostMapping("/v1/ops/cleanup_job_artifacts")
	CleanupResponse cleanup(HttpServletRequest request, Authentication authentication) throws IOException {
		// 1. an admin (a refusal is audited by the security filter), a valid body, a
		// caught-up view
		Caller caller = Caller.of(authentication);
		if (!caller.admin()) {
			throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", null,
					"cleaning up job artifacts needs the admin role");
		}
		CleanupCriteria criteria = CleanupRequests.read(request.getInputStream());
		if (!this.reader.caughtUp()) {
			throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "not_ready", null, "the API is still reading "
					+ Topics.JOB_STATES.name() + " after its start; send the cleanup again in a moment");
		}
		// 2. plan and apply, then audit what it came to
		CleanupResponse response = this.cleanup.run(criteria);
		this.audit.record(caller.name(), "cleanup_job_artifacts", subject(criteria),
				(criteria.dryRun() ? "dry run: would free " : "freed ") + response.bytesFreed() + " bytes of "
						+ response.jobs().size() + " jobs",
				request.getRemoteAddr());
		return response;
	}

	@GetMapping("/v1/storage")
	StorageResponse storage(Authentication authentication) {
		Caller caller = Caller.of(authentication);
		StorageUsage.Walk walk = this.usage.walk();
		StorageUsage.FileSystemSpace space = this.usage.space();
		StorageResponse.FileSystem fileSystem = (space != null)
				? new StorageResponse.FileSystem(space.sizeBytes(), space.usedBytes(), space.freeBytes()) : null;
		Map<String, String> owners = new HashMap<>();
		for (JobView view : this.jobs.snapshot()) {
			if (view.jobId() != null && view.user() != null) {
				owners.put(view.jobId(), view.user());
			}
		}
		// 1. jobs, with their owners where known; a user sees their own only
		List<JobBytes> jobBytes = new ArrayList<>();
		walk.tally().jobs().forEach((id, bytes) -> jobBytes.add(new JobBytes(id, owners.get(id), bytes)));
		if (!caller.admin()) {
			jobBytes.removeIf((job) -> !caller.name().equals(job.user()));
		}
		jobBytes.sort(Comparator.comparingLong(JobBytes::bytes).reversed().thenComparing(JobBytes::jobId));
		// 2. users: their home and their jobs
		Map<String, long[]> byUser = new TreeMap<>();
		walk.tally().homes().forEach((user, bytes) -> byUser.computeIfAbsent(user, (u) -> new long[2])[0] += bytes);
		jobBytes.stream()
			.filter((job) -> job.user() != null)
			.forEach((job) -> byUser.computeIfAbsent(job.user(), (u) -> new long[2])[1] += job.bytes());
		if (!caller.admin()) {
			byUser.keySet().removeIf((user) -> !user.equals(caller.name()));
			byUser.computeIfAbsent(caller.name(), (u) -> new long[2]);
		}
		List<UserBytes> users = new ArrayList<>();
		byUser.forEach((user, b) -> users.add(new UserBytes(user, b[0] + b[1], b[0], b[1])));
		return new StorageResponse(walk.at(), walk.truncated(), fileSystem,
				caller.admin() ? walk.tally().common() : null, caller.admin() ? walk.tally().other() : null, users,
				jobBytes);
	}

	private static String subject(CleanupCriteria criteria) {
		List<String> parts = new ArrayList<>();
		if (criteria.jobIds() != null) {
			String ids = String.join(",", criteria.jobIds());
			parts.add("job_ids=" + ((ids.length() > 150) ? ids.substring(0, 150) + "…" : ids));
		}
		if (criteria.olderThan() != null) {
			parts.add("older_than=" + criteria.olderThan());
		}
		if (criteria.user() != null) {
			parts.add("user=" + criteria.user());
		}
		if (criteria.states() != null) {
			parts.add("states=" + criteria.states());
		}
		return String.join(" ", parts);
	}

}
