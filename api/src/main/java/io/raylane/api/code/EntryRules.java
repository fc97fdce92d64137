package io.raylane.api.code;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an entry of an uploaded code archive may be (issue 15, roadmap v3.1): a regular
 * file or a directory, under a relative path that stays inside the snapshot. Links,
 * devices and pipes are refused outright rather than skipped, so the snapshot is exactly
 * the archive or nothing.
 */
final class EntryRules {

	/** A snapshot's name: a folder name anyone can type. */
	static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	enum Kind {

		FILE, DIRECTORY, SYMLINK, HARDLINK, DEVICE, FIFO, OTHER

	}

	private EntryRules() {
	}

	/** Why {@code name} cannot be a snapshot name, if it cannot. */
	static Optional<String> nameProblem(String name) {
		if (name == null || name.isEmpty()) {
			return Optional.of("is required: ?name=<snapshot name>");
		}
		if (!NAME.matcher(name).matches() || name.contains("..")) {
			return Optional.of("must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
		}
		return Optional.empty();
	}

	/**
	 * The entry's path inside the snapshot ({@code ./} and trailing {@code /} dropped),
	 * or why it is refused.
	 */
	static Result check(String path, Kind kind) {
		switch (kind) {
			case SYMLINK, HARDLINK:
				return Result.refuse(path, "links are refused (a link could point outside the snapshot)");
			case DEVICE, FIFO, OTHER:
				return Result.refuse(path, "only regular files and directories are allowed (" + kind + ")");
			default:
				break;
		}
		if (path == null || path.isEmpty() || path.indexOf('\0') >= 0) {
			return Result.refuse(String.valueOf(path), "an entry has an empty or unreadable name");
		}
		if (path.startsWith("/") || path.indexOf('\\') >= 0 || path.matches("^[A-Za-z]:.*")) {
			return Result.refuse(path, "absolute paths are refused");
		}
		String relative = path;
		while (relative.startsWith("./")) {
			relative = relative.substring(2);
		}
		while (relative.endsWith("/")) {
			relative = relative.substring(0, relative.length() - 1);
		}
		for (String segment : relative.split("/", -1)) {
			if (segment.equals("..")) {
				return Result.refuse(path, "'..' is refused (it would leave the snapshot)");
			}
			if (segment.isEmpty() && !relative.isEmpty()) {
				return Result.refuse(path, "an empty path segment ('//') is refused");
			}
		}
		return new Result(relative, null);
	}

	/**
	 * @param path the relative path to write (empty: the archive's root directory), or
	 * the entry's name when refused
	 * @param problem why it is refused, or null
	 */
	record Result(String path, String problem) {

		static Result refuse(String path, String problem) {
			return new Result(path, problem);
		}

		boolean refused() {
			return this.problem != null;
		}

	}

}
