package io.raylane.rayclient.wire;

import java.util.Map;

/**
 * One actor of the State API ({@code GET /api/v0/actors?detail=true}), in Ray 2.60's
 * shape (fixture {@code fixtures/ray-2.60.0/actors-detail.json}). Without
 * {@code detail=true} Ray leaves out {@code required_resources} and
 * {@code placement_group_id}. An actor in a placement group requires the group's
 * resources ({@code GPU_group_<pg id>}), which its bundle already holds; only an actor
 * outside any group holds {@code GPU} of its own. Ray's JobSupervisor actors belong to
 * the dashboard's Ray job and are named
 * {@value #SUPERVISOR_PREFIX}{@code <submission id>}.
 *
 * @param jobId the hex Ray job id of the job that created it
 */
public record RayActorState(String actorId, String className, String state, String jobId, String name, String nodeId,
		Long pid, String rayNamespace, Map<String, Double> requiredResources, Boolean isDetached,
		String placementGroupId) {

	public static final String SUPERVISOR_PREFIX = "_ray_internal_job_actor_";

	public boolean alive() {
		return "ALIVE".equals(this.state);
	}

	/** GPUs the actor holds outside any placement group. */
	public double ownGpus() {
		if (this.placementGroupId != null || this.requiredResources == null) {
			return 0;
		}
		Double gpus = this.requiredResources.get("GPU");
		return (gpus != null) ? gpus : 0;
	}

	/** The submission id whose JobSupervisor this actor is, or null. */
	public String supervisedSubmission() {
		return (this.name != null && this.name.startsWith(SUPERVISOR_PREFIX))
				? this.name.substring(SUPERVISOR_PREFIX.length()) : null;
	}

}
