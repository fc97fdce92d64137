package io.raylane.submitter.dispatch;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;

import io.raylane.rayclient.wire.RayJobSubmitRequest;
import io.raylane.submitter.jobdir.JobDirRefusedException;
import io.raylane.submitter.jobdir.JobDirectories;
import io.raylane.submitter.jobdir.JobSecrets;
import io.raylane.submitter.placement.PlacementGpus;
import io.raylane.submitter.placement.PlacementSelector;
import io.raylane.submitter.placement.PlacementShim;
import io.raylane.submitter.ray.RayJobsClient;
import io.raylane.submitter.ray.StopOutcome;
import io.raylane.submitter.ray.SubmitOutcome;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.DispatchCommand;
import io.raylane.topics.events.StopDelivered;
import io.raylane.topics.events.StopOnRay;
import io.raylane.topics.events.SubmitFailed;
import io.raylane.topics.events.SubmitResult;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.events.Submitted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one command of {@code raylane.dispatch} and says what to publish on
 * {@code raylane.submit-results}: SubmitToRay → job directory (with the job's secrets
 * apart, {@link WandbSecret}), then Ray → Submitted / SubmitFailed; StopOnRay → Ray's
 * stop → StopDelivered. No Kafka here; {@link DispatchListener} publishes.
 */
public final class DispatchHandler {

	private static final Logger log = LoggerFactory.getLogger(DispatchHandler.class);

	private final JobDirectories directories;

	private final RayJobsClient ray;

	private final Clock clock;

	private final WandbSecret wandb;

	public DispatchHandler(JobDirectories directories, RayJobsClient ray, Clock clock) {
		this(directories, ray, clock, WandbSecret.none());
	}

	public DispatchHandler(JobDirectories directories, RayJobsClient ray, Clock clock, WandbSecret wandb) {
		this.directories = directories;
		this.ray = ray;
		this.clock = clock;
		this.wandb = wandb;
	}

	/**
	 * @return the result to publish
	 * @throws StopNotDeliveredException when Ray could not be told to stop the job
	 */
	public SubmitResult handle(DispatchCommand command) {
		if (command instanceof SubmitToRay submit) {
			return submit(submit);
		}
		return stop((StopOnRay) command);
	}

	SubmitResult submit(SubmitToRay command) {
		// 1. decide what Ray gets: no secret, only where the job finds its own
		if (command.entrypoint() == null || command.entrypoint().isBlank() || command.entrypoint().indexOf('\0') >= 0) {
			return failed(command, false, "no usable entrypoint in the SubmitToRay command");
		}
		RayJobSubmitRequest request;
		try {
			// the job's GPU work stays on the nodes reserved for it (docs/scheduling.md)
			Map<String, String> selector = PlacementSelector.of(command.nodes(), command.pool());
			// and within the GPUs reserved on each of them
			Map<String, Integer> gpus = PlacementGpus.of(command.nodes(),
					(command.spec() != null) ? command.spec().resources() : null, selector);
			request = PlacementShim.apply(RaySubmission.requestOf(command), selector, gpus,
					this.directories.placementShimDir(command.jobId(), command.jobDir()));
		}
		catch (JobDirRefusedException ex) {
			return failed(command, false, ex.getMessage());
		}
		request = this.wandb.withBaseUrl(request, command.spec());
		JobSecrets secrets = null;
		String key = null;
		if (WandbSecret.enabled(command.spec())) {
			WandbKeys.Lookup lookup = this.wandb.keyFor(command.user());
			if (!lookup.found()) {
				return failed(command, false, lookup.problem());
			}
			key = lookup.key();
			try {
				secrets = this.wandb.secrets(key, request);
				request = this.wandb.readingSecrets(request,
						this.directories.secretsDir(command.jobId(), command.jobDir()));
			}
			catch (JobDirRefusedException | IllegalArgumentException ex) {
				return failed(command, false, ex.getMessage() + " (W&B key from " + lookup.source() + ")");
			}
		}
		// 2. the job directory first: a job never runs without its config (and secrets)
		// on the shared storage
		try {
			if (this.directories.hasArchivedLog(command.jobId(), command.jobDir())) {
				log.info("{} already ran and was archived; not submitting it again", command.jobId());
				return new Submitted(command.jobId(), command.pool(), true, this.clock.instant());
			}
			if (secrets != null) {
				this.directories.writeSecrets(command.jobId(), command.jobDir(), secrets);
			}
			this.directories.writeSubmission(command, request);
		}
		catch (JobDirRefusedException ex) {
			return failed(command, false, ex.getMessage());
		}
		catch (IOException | RuntimeException ex) {
			// shared storage hiccups pass; the scheduler decides whether to dispatch
			// again
			return failed(command, true, "cannot write the job directory: " + DeadLetter.reasonOf(ex));
		}
		// 3. Ray: exactly what was recorded
		SubmitOutcome outcome = this.ray.submit(request);
		// 4. the fact
		if (outcome instanceof SubmitOutcome.Accepted accepted) {
			log.info("submitted {} to Ray{}", command.jobId(),
					accepted.alreadySubmitted() ? " (Ray already had it)" : "");
			return new Submitted(command.jobId(), command.pool(), accepted.alreadySubmitted(), this.clock.instant());
		}
		SubmitOutcome.Failed failed = (SubmitOutcome.Failed) outcome;
		// nothing secret was sent, but keep the key and the URL's secrets out of the
		// record and the log whatever Ray answers
		return failed(command, failed.retryable(), this.wandb.scrub(failed.reason(), key));
	}

	StopDelivered stop(StopOnRay command) {
		StopOutcome outcome = this.ray.stop(command.jobId());
		if (outcome instanceof StopOutcome.Delivered delivered) {
			log.info("stop of {} delivered to Ray (stopped={}, reason {})", command.jobId(), delivered.stopped(),
					command.reason());
			return new StopDelivered(command.jobId(), command.pool(), delivered.stopped(), command.reason(),
					this.clock.instant());
		}
		StopOutcome.Failed failed = (StopOutcome.Failed) outcome;
		throw new StopNotDeliveredException("stop of " + command.jobId() + " not delivered: " + failed.reason(),
				failed.retryable());
	}

	private SubmitFailed failed(SubmitToRay command, boolean retryable, String reason) {
		log.warn("submission of {} failed (retryable={}): {}", command.jobId(), retryable, reason);
		return new SubmitFailed(command.jobId(), command.pool(), retryable, reason, this.clock.instant());
	}

}
