package io.raylane.jobspec.workload;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.JobSpec;

/**
 * Where a JobSpec's paths may point, decided without touching the disk: absolute, no
 * {@code ..}, characters Hydra reads as a plain string, and only into folders the caller
 * may read (issue 12: another user's private folder was readable through
 * {@code data.train_files}): model and data paths under {@code common/}, the caller's own
 * {@code users/<user>/} or a configured shared read-only root; code and reward only under
 * {@code common/code/} or the caller's own {@code users/<user>/code/}. The API adds what
 * needs the disk (existence, symlinks leading out of those folders).
 */
public final class StoragePolicy {

	/**
	 * Characters a path may use: anything else would need Hydra quoting (spaces, commas,
	 * {@code $}, braces).
	 */
	static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._/@+-]+");

	/** A user name that is one plain path segment. */
	static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

	private final Path root;

	private final List<Path> readOnlyRoots;

	private final String user;

	/**
	 * A policy without shared read-only roots.
	 * @param sharedRoot {@code raylane.shared.root}
	 * @param user the caller (owner of the job)
	 */
	public StoragePolicy(Path sharedRoot, String user) {
		this(sharedRoot, List.of(), user);
	}

	/**
	 * @param sharedRoot {@code raylane.shared.root}
	 * @param readOnlyRoots {@code raylane.shared.read-only-roots}: folders every user's
	 * model and data paths may name
	 * @param user the caller (owner of the job)
	 */
	public StoragePolicy(Path sharedRoot, List<Path> readOnlyRoots, String user) {
		this.root = sharedRoot.toAbsolutePath().normalize();
		this.readOnlyRoots = readOnlyRoots.stream().map((r) -> r.toAbsolutePath().normalize()).toList();
		// a name that is no plain segment owns no folder
		this.user = (user != null && USER.matcher(user).matches()) ? user : null;
	}

	/** Every path field of the spec with what is wrong with it. */
	public List<FieldError> check(JobSpec spec) {
		List<FieldError> errors = new ArrayList<>();
		for (PathField field : PathField.of(spec)) {
			problem(field).ifPresent((message) -> errors.add(new FieldError(field.field(), message)));
		}
		return errors;
	}

	/** The problem of one path, if any. */
	public Optional<String> problem(PathField field) {
		String value = field.value();
		if (value == null || value.isBlank()) {
			return Optional.of("must be a path");
		}
		if (!value.startsWith("/")) {
			return Optional.of("'" + value + "' must be an absolute path under the shared root " + this.root);
		}
		if (List.of(value.split("/")).contains("..")) {
			return Optional.of("'" + value + "' must not contain '..'");
		}
		if (!SAFE.matcher(value).matches()) {
			return Optional.of("'" + value + "' may only use letters, digits and . _ / @ + -");
		}
		Path path;
		try {
			path = Path.of(value).normalize();
		}
		catch (InvalidPathException ex) {
			return Optional.of("'" + value + "' is not a path");
		}
		List<Path> allowed = allowed(field.code());
		if (allowed.stream().anyMatch((dir) -> startsStrictly(path, dir))) {
			return Optional.empty();
		}
		Path users = this.root.resolve("users");
		if (path.startsWith(users) && path.getNameCount() > users.getNameCount()
				&& (this.user == null || !path.getName(users.getNameCount()).toString().equals(this.user))) {
			return Optional.of("'" + value + "' is in another user's folder; use " + describe(allowed));
		}
		return Optional.of("'" + value + "' must lie under " + describe(allowed));
	}

	/**
	 * The folders (normalised, absolute) a path of this kind may lie strictly under, for
	 * this caller: the disk check of the API compares real paths against them too.
	 */
	public List<Path> allowed(boolean code) {
		List<Path> allowed = new ArrayList<>();
		Path own = (this.user != null) ? this.root.resolve("users").resolve(this.user) : null;
		if (code) {
			allowed.add(this.root.resolve("common").resolve("code"));
			if (own != null) {
				allowed.add(own.resolve("code"));
			}
			return allowed;
		}
		allowed.add(this.root.resolve("common"));
		if (own != null) {
			allowed.add(own);
		}
		allowed.addAll(this.readOnlyRoots);
		return allowed;
	}

	private static String describe(List<Path> allowed) {
		return String.join(", ", allowed.stream().map((dir) -> dir + "/").toList());
	}

	private static boolean startsStrictly(Path path, Path dir) {
		return path.startsWith(dir) && !path.equals(dir);
	}

	/**
	 * One path of a spec.
	 *
	 * @param field the dotted field path, e.g. {@code data.train_files[0]}
	 * @param value the path as written
	 * @param code whether it is code (code_path, reward.path): only common or the
	 * caller's own code folder
	 */
	public record PathField(String field, String value, boolean code) {

		/** Every path the spec names, in field order. */
		public static List<PathField> of(JobSpec spec) {
			List<PathField> fields = new ArrayList<>();
			if (spec.model() != null && spec.model().path() != null) {
				fields.add(new PathField("model.path", spec.model().path(), false));
			}
			if (spec.data() != null) {
				add(fields, "data.train_files", spec.data().trainFiles());
				add(fields, "data.val_files", spec.data().valFiles());
			}
			if (spec.codePath() != null) {
				fields.add(new PathField("code_path", spec.codePath(), true));
			}
			if (spec.reward() != null && spec.reward().path() != null) {
				fields.add(new PathField("reward.path", spec.reward().path(), true));
			}
			return fields;
		}

		private static void add(List<PathField> fields, String name, List<String> values) {
			if (values != null) {
				for (int i = 0; i < values.size(); i++) {
					fields.add(new PathField(name + "[" + i + "]", values.get(i), false));
				}
			}
		}

	}

}
