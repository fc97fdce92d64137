package io.raylane.submitter.dispatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one poll's dispatch records are carried out concurrently without reordering a job's
 * commands: the records of one key (the job id) form a lane, handled one after the other
 * in offset order; different lanes run at the same time. A record without a key is a lane
 * of its own (it is dead-lettered anyway). Pure: positions in the batch in, lanes out.
 */
final class JobLanes {

	private JobLanes() {
	}

	/**
	 * @param keys the record keys of a batch, in the order the consumer returned them
	 * @return the positions of the batch grouped per key, each lane in batch order, the
	 * lanes in the order of their first record
	 */
	static List<List<Integer>> of(List<String> keys) {
		Map<Object, List<Integer>> lanes = new LinkedHashMap<>();
		for (int i = 0; i < keys.size(); i++) {
			Object lane = (keys.get(i) != null) ? keys.get(i) : new Object();
			lanes.computeIfAbsent(lane, (k) -> new ArrayList<>()).add(i);
		}
		return List.copyOf(lanes.values());
	}

	/**
	 * Where the batch must be delivered again from: the earliest failed position (every
	 * record before it is done, so its offset may be committed; the later ones are
	 * redelivered, which their idempotent handling tolerates), or -1 when none failed.
	 */
	static int redeliverFrom(List<Integer> failedPositions) {
		return failedPositions.stream().filter(Objects::nonNull).mapToInt(Integer::intValue).min().orElse(-1);
	}

}
