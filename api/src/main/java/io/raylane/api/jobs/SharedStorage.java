package io.raylane.api.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.raylane.support.RaylaneSettings;
import io.raylane.jobspec.workload.RewardSource;
import io.raylane.jobspec.workload.StoragePolicy;
import io.raylane.jobspec.workload.StoragePolicy.PathField;
import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.JobSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The shared storage as the API sees it: the pure {@link StoragePolicy} first, then,
 * where the API can see the shared root, the disk: every model, data, code and reward
 * path exists, none leads out of the folders its caller may name ({@code common/}, their
 * own {@code users/<user>/}, the shared read-only roots; for code and reward the code
 * folders) through a symlink, and the reward file defines its function (read once, from
 * the path that was checked, {@link NoFollowRead}). Also lays out
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

	private final List<Path> readOnlyRoots;

	/** Runs between the path checks and the read of the reward file (tests: the race). */
	private final Runnable afterPathChecks;

	private final RewardCheck rewardCheck;

	/**
	 * @param python {@code raylane.reward-check.python}: the interpreter that checks
	 * reward files (issue 13 item 5)
	 */
	@Autowired
	SharedStorage(RaylaneSettings settings, @Value("${raylane.reward-check.python:python3}") String python) {
		this(settings, () -> {
		}, new RewardCheck(python));
	}

	SharedStorage(RaylaneSettings settings, Runnable afterPathChecks, RewardCheck rewardCheck) {
		this.root = settings.shared().root().toAbsolutePath().normalize();
		this.readOnlyRoots = settings.shared().readOnlyRoots();
		this.afterPathChecks = afterPathChecks;
		this.rewardCheck = rewardCheck;
	}

	/**
	 * Every storage problem of the spec for this caller, in field order; empty when it
	 * may run.
	 */
	List<FieldError> check(JobSpec spec, String user) {
		StoragePolicy policy = new StoragePolicy(this.root, this.readOnlyRoots, user);
		List<FieldError> errors = policy.check(spec);
		if (!errors.isEmpty() || !Files.isDirectory(this.root)) {
			return errors;
		}
		try {
			Path rewardReal = null;
			Path rewardFolder = null;
			for (PathField field : PathField.of(spec)) {
				Path path = Path.of(field.value()).normalize();
				if (!Files.exists(path)) {
					errors.add(new FieldError(field.field(), "'" + field.value() + "' does not exist"));
					continue;
				}
				// the folder the path names may hold a link into another user's folder
				// (issue 12): the real path must stay in a folder the caller may read
				Path real = path.toRealPath();
				Optional<Path> folder = allowedFolderOf(real, policy.allowed(field.code()));
				if (folder.isEmpty()) {
					errors.add(new FieldError(field.field(),
							"'" + field.value() + "' leads out of "
									+ (field.code() ? "common/code/ and your users/" + user + "/code/"
											: "common/, your users/" + user + "/ and the shared read-only roots")
									+ " through a symlink"));
				}
				else if (field.field().equals("reward.path")) {
					rewardReal = real;
					rewardFolder = folder.get();
				}
			}
			this.afterPathChecks.run();
			if (errors.isEmpty() && spec.reward() != null && rewardReal != null) {
				reward(spec, rewardFolder, rewardReal, errors, this.rewardCheck);
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

	/**
	 * The allowed folder (at its real location) a real path lies strictly inside, if any.
	 */
	private static Optional<Path> allowedFolderOf(Path real, List<Path> allowed) throws IOException {
		for (Path folder : allowed) {
			Path realFolder = Files.exists(folder) ? folder.toRealPath() : folder;
			if (real.startsWith(realFolder) && !real.equals(realFolder)) {
				return Optional.of(realFolder);
			}
		}
		return Optional.empty();
	}

	/**
	 * Reads the reward file once, the very file whose real path was checked, and checks
	 * those bytes (issue 12: reading {@code reward.path} again would follow a link
	 * swapped in after the check, into another user's folder) with Python's parser
	 * ({@link RewardCheck}, issue 13).
	 */
	private static void reward(JobSpec spec, Path folder, Path real, List<FieldError> errors, RewardCheck check)
			throws IOException {
		Optional<byte[]> bytes = NoFollowRead.read(folder, folder.relativize(real), MAX_REWARD_BYTES);
		if (bytes.isEmpty()) {
			errors.add(new FieldError("reward.path", "'" + spec.reward().path()
					+ "' is not a regular file, or a folder on its way changed into a link while it was checked"));
			return;
		}
		if (bytes.get().length > MAX_REWARD_BYTES) {
			errors.add(new FieldError("reward.path", "'" + spec.reward().path() + "' is larger than 4 MiB"));
			return;
		}
		String function = RewardSource.functionOrDefault(spec.reward().function());
		check.check(bytes.get(), function, RewardSource.extraKeywords(spec.overrides()))
			.refusal(spec.reward().path(), function)
			.ifPresent(errors::add);
	}

}
