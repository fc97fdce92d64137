package io.raylane.api.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import io.raylane.support.RaylaneSettings;
import io.raylane.jobspec.workload.RewardSource;
import io.raylane.jobspec.workload.StoragePolicy;
import io.raylane.jobspec.workload.StoragePolicy.PathField;
import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.JobSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The shared storage as the API sees it: the pure {@link StoragePolicy} first, then,
 * where the API can see the shared root, the disk: every model, data, code and reward
 * path exists, none leaves the root (or, for code and reward, the allowed code folders)
 * through a symlink, and the reward file defines its function. Also lays out
 * {@code common/{datasets,models,code}} and {@code users/<user>/{datasets,models,code}}
 * on a user's first job.
 */
@Component
class SharedStorage {

	private static final Logger log = LoggerFactory.getLogger(SharedStorage.class);

	static final List<String> FOLDERS = List.of("datasets", "models", "code");

	/** A user name usable as one path segment. */
	private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

	static final long MAX_REWARD_BYTES = 4L * 1024 * 1024;

	private final Path root;

	SharedStorage(RaylaneSettings settings) {
		this.root = settings.shared().root().toAbsolutePath().normalize();
	}

	/**
	 * Every storage problem of the spec for this caller, in field order; empty when it
	 * may run.
	 */
	List<FieldError> check(JobSpec spec, String user) {
		List<FieldError> errors = new StoragePolicy(this.root, user).check(spec);
		if (!errors.isEmpty() || !Files.isDirectory(this.root)) {
			return errors;
		}
		try {
			Path realRoot = this.root.toRealPath();
			for (PathField field : PathField.of(spec)) {
				Path path = Path.of(field.value()).normalize();
				if (!Files.exists(path)) {
					errors.add(new FieldError(field.field(), "'" + field.value() + "' does not exist"));
					continue;
				}
				Path real = path.toRealPath();
				if (!real.startsWith(realRoot)) {
					errors.add(new FieldError(field.field(),
							"'" + field.value() + "' leads outside the shared root through a symlink"));
				}
				else if (field.code() && !insideCodeFolders(real, realRoot, user)) {
					errors.add(new FieldError(field.field(), "'" + field.value()
							+ "' leads out of common/code/ and your users/" + user + "/code/ through a symlink"));
				}
			}
			if (errors.isEmpty() && spec.reward() != null) {
				reward(spec, errors);
			}
		}
		catch (IOException ex) {
			errors.add(new FieldError("", "the shared storage could not be read: " + ex.getMessage()));
		}
		return errors;
	}

	/**
	 * Creates the common folders and the caller's own, if the shared root is there
	 * (idempotent).
	 */
	void prepare(String user) {
		if (!Files.isDirectory(this.root) || user == null || !SEGMENT.matcher(user).matches()) {
			return;
		}
		try {
			for (String folder : FOLDERS) {
				Files.createDirectories(this.root.resolve("common").resolve(folder));
				Path own = this.root.resolve("users").resolve(user).resolve(folder);
				if (!Files.isDirectory(own)) {
					Files.createDirectories(own);
					log.info("created {} for {}", own, user);
				}
			}
		}
		catch (IOException ex) {
			// the job can still run; the user just has no ready-made folders yet
			log.warn("could not lay out the shared folders of {}: {}", user, ex.getMessage());
		}
	}

	private boolean insideCodeFolders(Path real, Path realRoot, String user) throws IOException {
		for (Path allowed : List.of(realRoot.resolve("common").resolve("code"),
				realRoot.resolve("users").resolve(user).resolve("code"))) {
			Path realAllowed = Files.exists(allowed) ? allowed.toRealPath() : allowed;
			if (real.startsWith(realAllowed) && !real.equals(realAllowed)) {
				return true;
			}
		}
		return false;
	}

	private static void reward(JobSpec spec, List<FieldError> errors) throws IOException {
		Path file = Path.of(spec.reward().path());
		if (!Files.isRegularFile(file)) {
			errors.add(new FieldError("reward.path", "'" + spec.reward().path() + "' is not a file"));
			return;
		}
		if (Files.size(file) > MAX_REWARD_BYTES) {
			errors.add(new FieldError("reward.path", "'" + spec.reward().path() + "' is larger than 4 MiB"));
			return;
		}
		String function = RewardSource.functionOrDefault(spec.reward().function());
		String source = Files.readString(file, StandardCharsets.UTF_8);
		if (!RewardSource.defines(source, function)) {
			errors.add(new FieldError("reward.function",
					"'" + spec.reward().path() + "' defines no top-level function '" + function + "'"));
		}
	}

}
