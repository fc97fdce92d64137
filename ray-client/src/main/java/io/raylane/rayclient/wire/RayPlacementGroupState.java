package io.raylane.rayclient.wire;

import java.util.List;
import java.util.Map;

/**
 * One placement group of the State API ({@code GET /api/v0/placement_groups?detail=true};
 * {@code bundles} only with {@code detail=true}), in Ray 2.60's shape (fixture
 * {@code fixtures/ray-2.60.0/placement_groups.json}). {@code state} is PENDING, CREATED,
 * REMOVED or RESCHEDULING; only a CREATED group's bundles hold resources on their nodes.
 *
 * @param creatorJobId the hex Ray job id (not the submission id) that created it
 */
public record RayPlacementGroupState(String placementGroupId, String name, String creatorJobId, String state,
		List<Bundle> bundles, Boolean isDetached) {

	public static final String STATE_CREATED = "CREATED";

	public RayPlacementGroupState {
		bundles = (bundles != null) ? List.copyOf(bundles) : List.of();
	}

	public boolean created() {
		return STATE_CREATED.equals(this.state);
	}

	/**
	 * One bundle: what it reserves ({@code unit_resources}, e.g. {@code {"CPU": 1.0,
	 * "GPU": 1.0}}) and on which node (null while the group is pending).
	 */
	public record Bundle(BundleId bundleId, Map<String, Double> unitResources, String nodeId) {

		/** The bundle's whole GPUs (Ray reports floats). */
		public double gpus() {
			Double gpus = (this.unitResources != null) ? this.unitResources.get("GPU") : null;
			return (gpus != null) ? gpus : 0;
		}

	}

	/** {@code {"placement_group_id": ..., "bundle_index": n}}. */
	public record BundleId(String placementGroupId, Integer bundleIndex) {

		/** {@code <placement group id>:<index>}, as alerts name a bundle. */
		public String label() {
			return this.placementGroupId + ":" + this.bundleIndex;
		}

	}

}
