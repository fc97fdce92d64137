package io.raylane.submitter.archive;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The jobs the submitter deleted from Ray and still watches, because Ray 2.60 may bring a
 * deleted job back (see {@link LogArchiver}): which to delete again and which to forget,
 * given what one listing of Ray's jobs held. Pure, not thread-safe (its owner,
 * {@link RayDeletionSweep}, locks).
 * <p>
 * An id is watched from its deletion until a listing taken at least {@link #WATCH} after
 * it has been compared, so with a listing every 5 s each id is compared several times,
 * the first within 5 s of its deletion (Ray's re-creation can come seconds after the
 * delete) and the last at 30-35 s. A listing only judges ids deleted before it was
 * requested: a job deleted while the list was on its way may still be in it. An id that
 * is in a listing is deleted again and watched on; a failed listing judges nothing.
 * <p>
 * Memory is bounded: at most {@link #MAX_WATCHED} ids (a few MB: an id, an Instant and a
 * map entry are ~150 bytes); beyond that the longest-watched id is forgotten first. 150
 * ended jobs/s fill about 5,250 (35 s); only a listing failing for minutes while
 * deletions succeed reaches the bound, and an id forgotten early risks only a re-created
 * job left in Ray's list.
 */
final class DeletionRechecks {

	/** How long after its deletion a job is watched (at least). */
	static final Duration WATCH = Duration.ofSeconds(30);

	static final int MAX_WATCHED = 20_000;

	/** Job id to when it was (last) deleted, oldest deletion first. */
	private final Map<String, Instant> watched = new LinkedHashMap<>();

	private final int maxWatched;

	DeletionRechecks() {
		this(MAX_WATCHED);
	}

	DeletionRechecks(int maxWatched) {
		this.maxWatched = maxWatched;
	}

	/**
	 * Watches {@code jobId}, deleted at {@code at}; a job deleted again is watched anew
	 * from then (Ray's monitor could write it back once more).
	 * @return how many ids were forgotten to stay within the bound (0 or 1)
	 */
	int deleted(String jobId, Instant at) {
		this.watched.remove(jobId);
		this.watched.put(jobId, at);
		int dropped = 0;
		Iterator<String> oldest = this.watched.keySet().iterator();
		while (this.watched.size() > this.maxWatched) {
			oldest.next();
			oldest.remove();
			dropped++;
		}
		return dropped;
	}

	boolean isEmpty() {
		return this.watched.isEmpty();
	}

	int size() {
		return this.watched.size();
	}

	/**
	 * Compares the watched ids with one listing of Ray's jobs and forgets those watched
	 * long enough that the listing no longer holds.
	 * @param listedAt when the listing was requested
	 * @param listed the submission ids the listing held
	 * @return the ids to delete again (Ray brought them back); they stay watched
	 */
	Round sweep(Instant listedAt, Set<String> listed) {
		List<String> deleteAgain = new ArrayList<>();
		int forgotten = 0;
		Iterator<Map.Entry<String, Instant>> entries = this.watched.entrySet().iterator();
		while (entries.hasNext()) {
			Map.Entry<String, Instant> entry = entries.next();
			Instant deletedAt = entry.getValue();
			if (deletedAt.isAfter(listedAt)) {
				continue; // deleted while the list was on its way: it proves nothing
			}
			if (listed.contains(entry.getKey())) {
				deleteAgain.add(entry.getKey());
			}
			else if (!listedAt.isBefore(deletedAt.plus(WATCH))) {
				entries.remove();
				forgotten++;
			}
		}
		return new Round(List.copyOf(deleteAgain), forgotten);
	}

	/**
	 * What one sweep decided.
	 *
	 * @param deleteAgain ids Ray holds again after their deletion
	 * @param forgotten how many ids were watched long enough and are no longer
	 */
	record Round(List<String> deleteAgain, int forgotten) {
	}

}
