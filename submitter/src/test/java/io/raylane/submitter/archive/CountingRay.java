package io.raylane.submitter.archive;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.raylane.rayclient.wire.RayJobSubmitRequest;
import io.raylane.submitter.ray.RayCallException;
import io.raylane.submitter.ray.RayJobsClient;
import io.raylane.submitter.ray.StopOutcome;
import io.raylane.submitter.ray.SubmitOutcome;

/**
 * A Ray that holds a set of job ids and counts the calls made to it, by operation; its
 * list and its deletes can be made to fail.
 */
final class CountingRay implements RayJobsClient {

	final Set<String> jobs = new HashSet<>();

	final Map<String, Integer> calls = new LinkedHashMap<>();

	boolean listFails;

	boolean deleteFails;

	int calls(String operation) {
		return this.calls.getOrDefault(operation, 0);
	}

	int total() {
		return this.calls.values().stream().mapToInt(Integer::intValue).sum();
	}

	private void count(String operation) {
		this.calls.merge(operation, 1, Integer::sum);
	}

	@Override
	public SubmitOutcome submit(RayJobSubmitRequest request) {
		throw new UnsupportedOperationException();
	}

	@Override
	public StopOutcome stop(String jobId) {
		throw new UnsupportedOperationException();
	}

	@Override
	public Optional<String> logs(String jobId) {
		count("logs");
		return this.jobs.contains(jobId) ? Optional.of("log of " + jobId + "\n") : Optional.empty();
	}

	@Override
	public boolean delete(String jobId) {
		count("delete");
		if (this.deleteFails) {
			throw new RayCallException("delete of " + jobId + ": simulated failure", true);
		}
		return this.jobs.remove(jobId);
	}

	@Override
	public Set<String> submissionIds() {
		count("list");
		if (this.listFails) {
			throw new RayCallException("list of jobs: simulated failure", true);
		}
		return Set.copyOf(this.jobs);
	}

}
