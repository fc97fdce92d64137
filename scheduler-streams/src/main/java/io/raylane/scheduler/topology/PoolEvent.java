package io.raylane.scheduler.topology;

import io.raylane.topics.events.JobCommand;
import io.raylane.topics.events.NodeEvent;
import io.raylane.topics.events.RayObservation;
import io.raylane.topics.events.SubmitResult;

/**
 * The value of the by-pool repartition topic: exactly one of the scheduler's four input
 * records, tagged by the field it sits in. Each family keeps its own {@code type} tag, so
 * the envelope is plain JSON.
 *
 * @param jobCommand a record of {@code raylane.job-commands}
 * @param nodeEvent a record of {@code raylane.node-events}
 * @param rayObservation a record of {@code raylane.ray-observations}
 * @param submitResult a record of {@code raylane.submit-results}
 */
record PoolEvent(JobCommand jobCommand, NodeEvent nodeEvent, RayObservation rayObservation, SubmitResult submitResult) {

	static PoolEvent of(Object input) {
		if (input instanceof JobCommand command) {
			return new PoolEvent(command, null, null, null);
		}
		if (input instanceof NodeEvent event) {
			return new PoolEvent(null, event, null, null);
		}
		if (input instanceof RayObservation observation) {
			return new PoolEvent(null, null, observation, null);
		}
		if (input instanceof SubmitResult result) {
			return new PoolEvent(null, null, null, result);
		}
		throw new IllegalArgumentException("not a scheduler input: " + input);
	}

	/** The record inside. */
	Object event() {
		if (this.jobCommand != null) {
			return this.jobCommand;
		}
		if (this.nodeEvent != null) {
			return this.nodeEvent;
		}
		return (this.rayObservation != null) ? this.rayObservation : this.submitResult;
	}

	String pool() {
		if (this.jobCommand != null) {
			return this.jobCommand.pool();
		}
		if (this.nodeEvent != null) {
			return this.nodeEvent.pool();
		}
		return (this.rayObservation != null) ? this.rayObservation.pool() : this.submitResult.pool();
	}

	/**
	 * Why the record cannot be scheduled (it lacks its pool or its subject's id), or null
	 * when it can.
	 */
	String problem() {
		if (pool() == null || pool().isBlank()) {
			return "record has no pool" + ((this.jobCommand != null) ? " (a SubmitJob needs its spec)" : "");
		}
		String id = (this.nodeEvent != null) ? this.nodeEvent.nodeId() : subjectJobId();
		if (id == null || id.isBlank()) {
			return (this.nodeEvent != null) ? "record has no node id" : "record has no job id";
		}
		return null;
	}

	private String subjectJobId() {
		if (this.jobCommand != null) {
			return this.jobCommand.jobId();
		}
		return (this.rayObservation != null) ? this.rayObservation.jobId() : this.submitResult.jobId();
	}

}
