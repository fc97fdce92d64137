package io.raylane.topics.job;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * The scheduler's snapshot of one job, published on {@code raylane.job-states}
 * (compacted, key = job id) on every change. The API's read model and downstream
 * consumers read it; only the scheduler writes it.
 *
 * @param schemaVersion version of this record's shape
 * @param jobId the Raylane job id, which is also Ray's submission id
 * @param name the spec's name
 * @param user owner
 * @param workload the spec's workload
 * @param pool the pool the job runs in
 * @param status lifecycle status
 * @param reason why the job waits (QUEUED) or why it ended (terminal), human readable
 * @param resources the gang asked for
 * @param submittedAt when the API accepted the job
 * @param dispatchedAt when the scheduler reserved resources and dispatched it
 * @param startedAt when Ray started it (Ray's start time once running)
 * @param endedAt when it reached a terminal status
 * @param driverNodeIp IP of the node running the driver, as Ray reports it
 * @param jobDir the job's directory on the shared storage
 * @param exitCode the entrypoint's exit code, when Ray reports one
 * @param message Ray's latest message for the job
 * @param nodes node ids whose GPUs the job holds (while it holds them)
 * @param spec the JobSpec as accepted
 * @param updatedAt when this snapshot was produced
 * @param position place in the pool's queue (1 = next), while QUEUED
 * @param reasons every reason the job waits, while QUEUED
 * @param estimatedStart when the job is expected to start, where running jobs' deadlines
 * make it computable
 * @param failure why it failed (FAILED)
 * @param progress training progress (RUNNING verl jobs)
 * @param ncclBandwidth the bus bandwidth measured per node pair ({@code nccl_check} jobs,
 * issue 16 item 6); null for other jobs
 * @param placement the IPs of the nodes where Ray actually put the job's GPU work, as the
 * observer read them from Ray's State API (issue 14 item 2); null until read, cleared
 * when the job ends. {@code nodes} stays the reservation
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", defaultImpl = JobView.class)
@JsonTypeName("JobView")
public record JobView(int schemaVersion, String jobId, String name, String user, String workload, String pool,
		JobStatus status, String reason, Resources resources, Instant submittedAt, Instant dispatchedAt,
		Instant startedAt, Instant endedAt, String driverNodeIp, String jobDir, Integer exitCode, String message,
		List<String> nodes, JobSpec spec, Instant updatedAt, Integer position, List<WaitReason> reasons,
		Instant estimatedStart, Failure failure, Progress progress, List<NcclBandwidth> ncclBandwidth,
		List<String> placement) {

	public static final int SCHEMA_VERSION = 1;

	public JobView {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
		nodes = (nodes != null) ? List.copyOf(nodes) : List.of();
		reasons = (reasons != null) ? List.copyOf(reasons) : null;
		ncclBandwidth = (ncclBandwidth != null) ? List.copyOf(ncclBandwidth) : null;
		placement = (placement != null) ? List.copyOf(placement) : null;
	}

	public static Builder builder() {
		return new Builder();
	}

	public Builder toBuilder() {
		return new Builder().jobId(this.jobId)
			.name(this.name)
			.user(this.user)
			.workload(this.workload)
			.pool(this.pool)
			.status(this.status)
			.reason(this.reason)
			.resources(this.resources)
			.submittedAt(this.submittedAt)
			.dispatchedAt(this.dispatchedAt)
			.startedAt(this.startedAt)
			.endedAt(this.endedAt)
			.driverNodeIp(this.driverNodeIp)
			.jobDir(this.jobDir)
			.exitCode(this.exitCode)
			.message(this.message)
			.nodes(this.nodes)
			.spec(this.spec)
			.updatedAt(this.updatedAt)
			.position(this.position)
			.reasons(this.reasons)
			.estimatedStart(this.estimatedStart)
			.failure(this.failure)
			.progress(this.progress)
			.ncclBandwidth(this.ncclBandwidth)
			.placement(this.placement);
	}

	/**
	 * Builds JobViews; the scheduler updates a view with
	 * {@code view.toBuilder().status(...).build()}.
	 */
	public static final class Builder {

		private String jobId;

		private String name;

		private String user;

		private String workload;

		private String pool;

		private JobStatus status;

		private String reason;

		private Resources resources;

		private Instant submittedAt;

		private Instant dispatchedAt;

		private Instant startedAt;

		private Instant endedAt;

		private String driverNodeIp;

		private String jobDir;

		private Integer exitCode;

		private String message;

		private List<String> nodes;

		private JobSpec spec;

		private Instant updatedAt;

		private Integer position;

		private List<WaitReason> reasons;

		private Instant estimatedStart;

		private Failure failure;

		private Progress progress;

		private List<NcclBandwidth> ncclBandwidth;

		private List<String> placement;

		public Builder position(Integer position) {
			this.position = position;
			return this;
		}

		public Builder reasons(List<WaitReason> reasons) {
			this.reasons = reasons;
			return this;
		}

		public Builder estimatedStart(Instant estimatedStart) {
			this.estimatedStart = estimatedStart;
			return this;
		}

		public Builder failure(Failure failure) {
			this.failure = failure;
			return this;
		}

		public Builder progress(Progress progress) {
			this.progress = progress;
			return this;
		}

		public Builder ncclBandwidth(List<NcclBandwidth> ncclBandwidth) {
			this.ncclBandwidth = ncclBandwidth;
			return this;
		}

		public Builder placement(List<String> placement) {
			this.placement = placement;
			return this;
		}

		public Builder jobId(String jobId) {
			this.jobId = jobId;
			return this;
		}

		public Builder name(String name) {
			this.name = name;
			return this;
		}

		public Builder user(String user) {
			this.user = user;
			return this;
		}

		public Builder workload(String workload) {
			this.workload = workload;
			return this;
		}

		public Builder pool(String pool) {
			this.pool = pool;
			return this;
		}

		public Builder status(JobStatus status) {
			this.status = status;
			return this;
		}

		public Builder reason(String reason) {
			this.reason = reason;
			return this;
		}

		public Builder resources(Resources resources) {
			this.resources = resources;
			return this;
		}

		public Builder submittedAt(Instant submittedAt) {
			this.submittedAt = submittedAt;
			return this;
		}

		public Builder dispatchedAt(Instant dispatchedAt) {
			this.dispatchedAt = dispatchedAt;
			return this;
		}

		public Builder startedAt(Instant startedAt) {
			this.startedAt = startedAt;
			return this;
		}

		public Builder endedAt(Instant endedAt) {
			this.endedAt = endedAt;
			return this;
		}

		public Builder driverNodeIp(String driverNodeIp) {
			this.driverNodeIp = driverNodeIp;
			return this;
		}

		public Builder jobDir(String jobDir) {
			this.jobDir = jobDir;
			return this;
		}

		public Builder exitCode(Integer exitCode) {
			this.exitCode = exitCode;
			return this;
		}

		public Builder message(String message) {
			this.message = message;
			return this;
		}

		public Builder nodes(List<String> nodes) {
			this.nodes = nodes;
			return this;
		}

		public Builder spec(JobSpec spec) {
			this.spec = spec;
			return this;
		}

		public Builder updatedAt(Instant updatedAt) {
			this.updatedAt = updatedAt;
			return this;
		}

		public JobView build() {
			return new JobView(SCHEMA_VERSION, this.jobId, this.name, this.user, this.workload, this.pool, this.status,
					this.reason, this.resources, this.submittedAt, this.dispatchedAt, this.startedAt, this.endedAt,
					this.driverNodeIp, this.jobDir, this.exitCode, this.message, this.nodes, this.spec, this.updatedAt,
					this.position, this.reasons, this.estimatedStart, this.failure, this.progress, this.ncclBandwidth,
					this.placement);
		}

	}

}
