package io.raylane.submitter.jobdir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.raylane.jobspec.workload.ComposeContext;
import io.raylane.jobspec.workload.WorkloadComposer;
import io.raylane.rayclient.wire.RayJobSubmitRequest;
import io.raylane.support.files.JobDirFiles;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.json.Json;
import io.raylane.topics.job.Workload;

/**
 * Writes job directories on the shared storage ({@code <shared root>/jobs/<id>/}, see
 * docs/jobspec.md "The job directory"): {@code config/jobspec.yaml},
 * {@code config/submit_cmd.txt}, {@code config/runtime_env.json},
 * {@code config/overrides.txt} (verl workloads), empty {@code logs/} and
 * {@code checkpoints/}, and later {@code logs/driver.log}. A directory must lie under
 * {@code <shared root>/jobs/}; writes replace files atomically, so a redelivered command
 * rewrites identical files.
 */
public final class JobDirectories {

	static final String JOBS = "jobs";

	private final Path jobsRoot;

	private final String rayAddress;

	private final JobDirFiles files;

	/**
	 * @param sharedRoot {@code raylane.shared.root}
	 * @param rayAddress {@code raylane.ray.address}, written into {@code submit_cmd.txt}
	 */
	public JobDirectories(Path sharedRoot, String rayAddress) {
		this.jobsRoot = sharedRoot.toAbsolutePath().normalize().resolve(JOBS);
		this.rayAddress = rayAddress;
		this.files = new JobDirFiles(this.jobsRoot);
	}

	public Path jobsRoot() {
		return this.jobsRoot;
	}

	/**
	 * The job's directory: {@code jobDir} when given, else {@code <jobs root>/<jobId>};
	 * refused unless it lies strictly under the jobs root after normalisation ({@code ..}
	 * cannot climb out). Pure.
	 */
	public Path locate(String jobId, String jobDir) throws JobDirRefusedException {
		Path dir;
		try {
			dir = (jobDir != null && !jobDir.isBlank()) ? Path.of(jobDir) : this.jobsRoot.resolve(jobId);
		}
		catch (RuntimeException ex) {
			throw new JobDirRefusedException("job directory '" + jobDir + "' is not a path: " + ex.getMessage());
		}
		Path normal = dir.toAbsolutePath().normalize();
		if (!normal.startsWith(this.jobsRoot) || normal.equals(this.jobsRoot)) {
			throw new JobDirRefusedException(
					"job directory '" + jobDir + "' is outside the jobs root " + this.jobsRoot + "/; refused");
		}
		return normal;
	}

	/**
	 * Writes the job directory of a submission, before Ray is asked to run it.
	 * @param command the dispatch command (its spec becomes {@code jobspec.yaml})
	 * @param request what is POSTed to Ray (its runtime_env becomes
	 * {@code runtime_env.json})
	 * @return the directory
	 */
	public Path writeSubmission(SubmitToRay command, RayJobSubmitRequest request)
			throws JobDirRefusedException, IOException {
		// 1. where: refuse anything outside <root>/jobs/, also through a symlink planted
		// inside it
		Path dir = locate(command.jobId(), command.jobDir());
		checkReal(Files.createDirectories(dir));
		Path config = Files.createDirectories(dir.resolve("config"));
		Files.createDirectories(dir.resolve("logs"));
		Files.createDirectories(dir.resolve("checkpoints"));
		// 2. what: the spec as accepted, the runtime env sent, the command line
		// equivalent to the POST
		if (command.spec() != null) {
			writeAtomically(config.resolve("jobspec.yaml"), Json.yaml().writeValueAsString(command.spec()));
		}
		writeAtomically(config.resolve("runtime_env.json"), SubmitCommand.json(request.runtimeEnv()) + "\n");
		writeAtomically(config.resolve("submit_cmd.txt"), SubmitCommand.of(this.rayAddress, request) + "\n");
		// 3. verl workloads: the full Hydra override list, one per line (the same the
		// scheduler composed)
		if (command.spec() != null
				&& Workload.parse(command.spec().workload()).filter((w) -> w != Workload.COMMAND).isPresent()) {
			String jobDir = (command.jobDir() != null && !command.jobDir().isBlank()) ? command.jobDir()
					: dir.toString();
			List<String> overrides = WorkloadComposer.overrides(command.spec(),
					new ComposeContext(command.jobId(), jobDir, command.user(), Map.of()));
			writeAtomically(config.resolve("overrides.txt"), String.join("\n", overrides) + "\n");
		}
		return dir;
	}

	/**
	 * Whether the job already ended and its driver log was archived. A dispatch
	 * redelivered that late must not reach Ray again: Ray may have deleted the job after
	 * the archive, and would then run it a second time.
	 */
	public boolean hasArchivedLog(String jobId, String jobDir) throws JobDirRefusedException {
		// a link the job planted at logs/driver.log is no archive (issue 12)
		return this.files.isRegularFile(jobFolder(jobId, jobDir), "logs", "driver.log");
	}

	/**
	 * Writes (overwrites) {@code logs/driver.log} of a job, never through a symbolic link
	 * the job planted in its directory (issue 12): a link at {@code driver.log} is
	 * replaced, a link at {@code logs/} or the job directory is refused.
	 */
	public Path writeDriverLog(String jobId, String jobDir, String log) throws JobDirRefusedException, IOException {
		String folder = jobFolder(jobId, jobDir);
		try {
			return this.files.writeAtomically(folder, "logs", "driver.log", log);
		}
		catch (JobDirFiles.JobDirLinkException ex) {
			throw new JobDirRefusedException(ex.getMessage());
		}
	}

	/**
	 * The job directory's name: it must lie directly in the jobs root, so that only that
	 * root is trusted on the way.
	 */
	private String jobFolder(String jobId, String jobDir) throws JobDirRefusedException {
		Path dir = locate(jobId, jobDir);
		if (!this.jobsRoot.equals(dir.getParent())) {
			throw new JobDirRefusedException("job directory " + dir + " is not directly in " + this.jobsRoot);
		}
		return dir.getFileName().toString();
	}

	private void checkReal(Path dir) throws IOException, JobDirRefusedException {
		Path realRoot = this.jobsRoot.toRealPath();
		if (!dir.toRealPath().startsWith(realRoot)) {
			throw new JobDirRefusedException("job directory " + dir + " resolves outside the jobs root; refused");
		}
	}

	private static void writeAtomically(Path file, String text) throws IOException {
		// not Files.createTempFile: its 0600 mode would hide the file from the job's user
		// and Ray's workers
		Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
		try {
			Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
					StandardOpenOption.WRITE);
			try {
				Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		finally {
			Files.deleteIfExists(tmp);
		}
	}

}
