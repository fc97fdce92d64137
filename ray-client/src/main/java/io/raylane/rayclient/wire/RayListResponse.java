package io.raylane.rayclient.wire;

import java.util.List;

/**
 * The State API envelope: {@code {"result": bool, "msg": str, "data": {"result":
 * ListApiResponse}}}.
 */
public record RayListResponse<T>(Boolean result, String msg, Data<T> data) {

	public record Data<T>(ListApiResponse<T> result) {
	}

	public record ListApiResponse<T>(Integer total, Integer numAfterTruncation, Integer numFiltered, List<T> result,
			String partialFailureWarning, List<String> warnings) {
	}

	/** The listed items, or an empty list for an empty or failed envelope. */
	public List<T> items() {
		if (this.data == null || this.data.result() == null || this.data.result().result() == null) {
			return List.of();
		}
		return this.data.result().result();
	}

}
