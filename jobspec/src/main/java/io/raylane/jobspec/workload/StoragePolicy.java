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
 * {@code ..}, characters Hydra reads as a plain string, under the shared root after
 * normalisation; code and reward only under {@code common/code/} or the caller's own
 * {@code users/<user>/code/}. The API adds what needs the disk (existence, symlinks
 * leaving the root).
 */
public final class StoragePolicy {

	/**
	 * Characters a path may use: anything else would need Hydra quoting (spaces, commas,
	 * {@code $}, braces).
	 */
	static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._/@+-]+");

	private final Path root;

	private final String user;

	/**
	 * @param sharedRoot {@code raylane.shared.root} @param user the caller (owner of the
	 * job)
	 */
	public StoragePolicy(Path sharedRoot, String user) {
		this.root = sharedRoot.toAbsolutePath().normalize();
		this.user = user;
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
		if (!path.startsWith(this.root) || path.equals(this.root)) {
			return Optional.of("'" + value + "' is outside the shared root " + this.root);
		}
		if (field.code()) {
			Path common = this.root.resolve("common").resolve("code");
			Path users = this.root.resolve("users");
			Path own = (this.user != null) ? users.resolve(this.user).resolve("code") : null;
			boolean allowed = startsStrictly(path, common) || (own != null && startsStrictly(path, own));
			if (!allowed) {
				if (path.startsWith(users) && (own == null || !path.startsWith(users.resolve(this.user)))) {
					return Optional
						.of("'" + value + "' is in another user's folder; use " + common + "/ or " + own + "/");
				}
				return Optional.of("'" + value + "' must lie under " + common + "/ or " + own + "/");
			}
		}
		return Optional.empty();
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
