package io.raylane.observer.accounting;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.raylane.rayclient.wire.RayContract;
import io.raylane.rayclient.wire.RayJobDetails;

/**
 * A Ray job that accounting, GPU attribution and the idle detector care about, read from
 * Ray's own job list: a SUBMISSION whose metadata carries {@code raylane_job_id},
 * {@code raylane_gpus > 0} and whose {@code start_time} is known. Everything else
 * (foreign jobs, DRIVER entries, CPU-only jobs) is not accounted.
 *
 * @param jobId Raylane's job id (= Ray's submission id)
 * @param user {@code raylane_user}
 * @param pool {@code raylane_pool}
 * @param workload {@code raylane_workload}
 * @param gpus {@code raylane_gpus}: GPUs held in all
 * @param nodeIps {@code raylane_node_ips}: the nodes whose GPUs it holds
 * ({@code gpus / count} on each)
 * @param startMs Ray's {@code start_time} (epoch ms)
 * @param endMs Ray's {@code end_time} (epoch ms), null while it runs
 * @param status Ray's status
 */
public record AccountedJob(String jobId, String user, String pool, String workload, int gpus, List<String> nodeIps,
		long startMs, Long endMs, String status) {

	public AccountedJob {
		nodeIps = List.copyOf(nodeIps);
	}

	/** The job as accounting sees it; empty when it is not accounted. */
	public static Optional<AccountedJob> of(RayJobDetails job) {
		Map<String, String> meta = job.metadata();
		if (!RayJobDetails.TYPE_SUBMISSION.equals(job.type()) || meta == null || job.startTime() == null) {
			return Optional.empty();
		}
		String jobId = meta.get(RayContract.META_JOB_ID);
		int gpus = gpusOf(meta.get(RayContract.META_GPUS));
		if (jobId == null || jobId.isBlank() || gpus <= 0) {
			return Optional.empty();
		}
		String ips = meta.get(RayContract.META_NODE_IPS);
		List<String> nodeIps = (ips == null) ? List.of()
				: Arrays.stream(ips.split(",")).map(String::strip).filter((ip) -> !ip.isEmpty()).toList();
		return Optional.of(new AccountedJob(jobId, meta.get(RayContract.META_USER), meta.get(RayContract.META_POOL),
				meta.get(RayContract.META_WORKLOAD), gpus, nodeIps, job.startTime(), job.endTime(), job.status()));
	}

	/**
	 * The same job on the nodes Ray actually put it on (issue 14 item 2): utilization and
	 * idle alerts follow the actual placement.
	 */
	public AccountedJob onNodes(List<String> ips) {
		return new AccountedJob(this.jobId, this.user, this.pool, this.workload, this.gpus, ips, this.startMs,
				this.endMs, this.status);
	}

	/** Ray reported it terminal with an end time: the final record can be written. */
	public boolean ended() {
		return RayContract.isTerminal(this.status) && this.endMs != null;
	}

	public boolean running() {
		return RayContract.STATUS_RUNNING.equals(this.status);
	}

	/**
	 * A whole number of GPUs; anything else (absent, fractional, garbage) is 0, i.e. not
	 * accounted.
	 */
	static int gpusOf(String value) {
		if (value == null) {
			return 0;
		}
		try {
			return new java.math.BigDecimal(value.strip()).intValueExact();
		}
		catch (ArithmeticException | NumberFormatException ex) {
			return 0;
		}
	}

}
