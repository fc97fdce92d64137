package io.raylane.api.storage;

import java.util.Map;

/**
 * What a job directory holds, as seen without following any link: the kind of the
 * directory itself, of its entries, and of the entries of its {@code checkpoints/}
 * folder, plus the step named in {@code latest_checkpointed_iteration.txt}. The input of
 * {@link CleanupPlanner}; read from the disk by {@link JobDirs}.
 *
 * @param self the job directory: {@link Kind#MISSING}, or {@link Kind#LINK} when it, or a
 * folder between the shared root and it, is a symbolic link
 * @param entries name → kind of the directory's entries
 * @param checkpoints name → kind of {@code checkpoints/}'s entries (empty unless
 * {@code checkpoints} is a real directory)
 * @param latest the tracker's step, or null
 */
record JobDirListing(Kind self, Map<String, Kind> entries, Map<String, Kind> checkpoints, Integer latest) {

	JobDirListing {
		entries = Map.copyOf(entries);
		checkpoints = Map.copyOf(checkpoints);
	}

	static JobDirListing of(Kind self) {
		return new JobDirListing(self, Map.of(), Map.of(), null);
	}

	/** An entry's kind, as {@code lstat} tells it. */
	enum Kind {

		DIRECTORY, FILE, LINK, OTHER, MISSING

	}

}
