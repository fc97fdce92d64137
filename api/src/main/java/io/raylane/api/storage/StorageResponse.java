package io.raylane.api.storage;

import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code GET /v1/storage}: bytes on the shared storage by user, by job and
 * in {@code common/} (an admin sees everything; a user their own home and jobs only),
 * from one cached walk of the shared root.
 *
 * @param asOf when the walk was made
 * @param truncated whether the walk stopped at {@code raylane.storage.usage-max-entries}
 * (the bytes are then a lower bound)
 * @param fileSystem the shared root's file system, absent when it cannot be read
 * @param commonBytes bytes in {@code common/} (admins only)
 * @param otherBytes bytes elsewhere under the shared root (admins only)
 * @param users per user: {@code users/<user>/} and the directories of their jobs
 * @param jobs per job directory, largest first
 */
record StorageResponse(Instant asOf, boolean truncated, FileSystem fileSystem, Long commonBytes, Long otherBytes,
		List<UserBytes> users, List<JobBytes> jobs) {

	/**
	 * @param sizeBytes the file system's size
	 * @param usedBytes used on it (by anything, not only Raylane)
	 * @param freeBytes still free for the API's user
	 */
	record FileSystem(long sizeBytes, long usedBytes, long freeBytes) {
	}

	/**
	 * @param user the user
	 * @param bytes home plus jobs
	 * @param homeBytes {@code users/<user>/}
	 * @param jobsBytes their job directories
	 */
	record UserBytes(String user, long bytes, long homeBytes, long jobsBytes) {
	}

	/**
	 * @param jobId the job (its directory's name)
	 * @param user its owner, when the job view still knows it
	 * @param bytes its directory
	 */
	record JobBytes(String jobId, String user, long bytes) {
	}

}
