package io.raylane.topics;

import java.time.Instant;
import java.util.Map;

import io.raylane.topics.events.SubmitJob;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.Resources;

/**
 * Test builder for JobSpecs and SubmitJob commands:
 * {@code Jobs.aJob("j1").gang(2, 4).pool("a100").submit()}.
 */
public final class Jobs {

	private String jobId;

	private String user = "alice";

	private String name = "hello";

	private String workload = "command";

	private String command = "echo hello from raylane";

	private String pool = "default";

	private int nnodes = 1;

	private int gpus = 0;

	private String timeout = "10m";

	private Map<String, String> env = Map.of();

	private String codePath;

	private Instant acceptedAt = Instant.parse("2026-01-01T00:00:00Z");

	private Jobs(String jobId) {
		this.jobId = jobId;
	}

	public static Jobs aJob(String jobId) {
		return new Jobs(jobId);
	}

	public Jobs user(String user) {
		this.user = user;
		return this;
	}

	public Jobs name(String name) {
		this.name = name;
		return this;
	}

	public Jobs workload(String workload) {
		this.workload = workload;
		return this;
	}

	public Jobs command(String command) {
		this.command = command;
		return this;
	}

	public Jobs pool(String pool) {
		this.pool = pool;
		return this;
	}

	public Jobs gang(int nnodes, int gpusPerNode) {
		this.nnodes = nnodes;
		this.gpus = gpusPerNode;
		return this;
	}

	public Jobs timeout(String timeout) {
		this.timeout = timeout;
		return this;
	}

	public Jobs env(Map<String, String> env) {
		this.env = env;
		return this;
	}

	public Jobs codePath(String codePath) {
		this.codePath = codePath;
		return this;
	}

	public Jobs acceptedAt(Instant acceptedAt) {
		this.acceptedAt = acceptedAt;
		return this;
	}

	public JobSpec spec() {
		return new JobSpec(this.name, this.workload, this.command, this.pool, Resources.of(this.nnodes, this.gpus),
				this.timeout, this.env, null, null, null, null, null, null, this.codePath, null, null, null);
	}

	public SubmitJob submit() {
		return new SubmitJob(this.jobId, this.user, spec(), this.acceptedAt);
	}

}
