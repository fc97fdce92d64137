package io.raylane.submitter.jobdir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.raylane.jobspec.workload.ComposeContext;
import io.raylane.jobspec.workload.WorkloadComposer;
import io.raylane.rayclient.wire.RayJobSubmitRequest;
import io.raylane.submitter.placement.PlacementShim;
import io.raylane.support.files.JobDirFiles;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.json.Json;
import io.raylane.topics.job.Workload;

/**
 * Writes job directories on the shared storage ({@code <shared root>/jobs/<id>/}, see
 * docs/jobspec.md "The job directory"): {@code config/jobspec.yaml},
 * {@code config/submit_cmd.txt}, {@code config/runtime_env.json},
 * {@code config/overrides.txt} (verl workloads), the placement shim
 * {@code config/raylane_placement/sitecustomize.py}, empty {@code logs/} and
 * {@code checkpoints/}, later {@code logs/driver.log}, the shared Hugging Face cache
 * {@code <shared root>/hf} ({@link #ensureHfCache}), and, for jobs with secrets
 * (W&amp;B), {@code secrets/} readable by the job's OS user only ({@link JobSecrets});
 * with a job owner configured, {@code logs/} and {@code checkpoints/} are that user's. A
 * directory must lie under {@code <shared root>/jobs/}; writes replace files atomically,
 * so a redelivered command rewrites identical files.
 */
public final class JobDirectories {

	static final String JOBS = "jobs";

	private final Path jobsRoot;

	private final String rayAddress;

	private final JobDirFiles files;

	private final SecretsAccess secretsAccess;

	/**
	 * Who may read a job's {@code secrets/}: its owner only (directory 0700, files 0600),
	 * and, with a group, that group too (0750 / 0640). Without an owner the submitter's
	 * own OS user owns them, which must then be the user Ray's workers run as
	 * (docs/reference/ray-http.md §12).
	 *
	 * @param owner {@code raylane.submitter.job-secrets.owner}: the OS user the job runs
	 * as (the Ray nodes' user); setting it needs the right to chown (root or CAP_CHOWN);
	 * null = the submitter's user
	 * @param group {@code raylane.submitter.job-secrets.group}: a group both the
	 * submitter and the job's user are in, and nobody else; null = none
	 */
	public record SecretsAccess(String owner, String group) {

		public static final SecretsAccess OWNER_ONLY = new SecretsAccess(null, null);

		public SecretsAccess {
			owner = (owner != null && !owner.isBlank()) ? owner.strip() : null;
			group = (group != null && !group.isBlank()) ? group.strip() : null;
		}

		String dirMode() {
			return (this.group != null) ? "rwxr-x---" : "rwx------";
		}

		String fileMode() {
			return (this.group != null) ? "rw-r-----" : "rw-------";
		}

	}

	/**
	 * @param sharedRoot {@code raylane.shared.root}
	 * @param rayAddress {@code raylane.ray.address}, written into {@code submit_cmd.txt}
	 */
	public JobDirectories(Path sharedRoot, String rayAddress) {
		this(sharedRoot, rayAddress, SecretsAccess.OWNER_ONLY);
	}

	/**
	 * @param sharedRoot {@code raylane.shared.root}
	 * @param rayAddress {@code raylane.ray.address}, written into {@code submit_cmd.txt}
	 * @param secretsAccess who owns each job's {@code secrets/}
	 */
	public JobDirectories(Path sharedRoot, String rayAddress, SecretsAccess secretsAccess) {
		this.jobsRoot = sharedRoot.toAbsolutePath().normalize().resolve(JOBS);
		this.rayAddress = rayAddress;
		this.secretsAccess = secretsAccess;
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
		ensureHfCache();
		handOverWorkDir(Files.createDirectories(dir.resolve("logs")));
		handOverWorkDir(Files.createDirectories(dir.resolve("checkpoints")));
		// 2. what: the spec as accepted, the runtime env sent, the command line
		// equivalent to the POST
		if (command.spec() != null) {
			writeAtomically(config.resolve("jobspec.yaml"), Json.yaml().writeValueAsString(command.spec()));
		}
		writeAtomically(config.resolve("runtime_env.json"), SubmitCommand.json(request.runtimeEnv()) + "\n");
		writeAtomically(config.resolve("submit_cmd.txt"), SubmitCommand.of(this.rayAddress, request) + "\n");
		// the placement shim, inert unless the request names a selector
		// (docs/scheduling.md "Placement that Ray obeys")
		writeAtomically(Files.createDirectories(config.resolve(PlacementShim.DIR)).resolve(PlacementShim.SCRIPT),
				PlacementShim.script());
		// 3. verl workloads: the full Hydra override list, one per line (the same the
		// scheduler composed)
		if (command.spec() != null && Workload.parse(command.spec().workload()).filter(Workload::verl).isPresent()) {
			String jobDir = (command.jobDir() != null && !command.jobDir().isBlank()) ? command.jobDir()
					: dir.toString();
			List<String> overrides = WorkloadComposer.overrides(command.spec(),
					new ComposeContext(command.jobId(), jobDir, command.user(), Map.of()));
			writeAtomically(config.resolve("overrides.txt"), String.join("\n", overrides) + "\n");
		}
		return dir;
	}

	/**
	 * {@code <shared root>/hf}, the Hugging Face cache every job's {@code HF_HOME} names
	 * by default (issue 16 item 5). Pure.
	 */
	public Path hfCache() {
		return this.jobsRoot.resolveSibling(ComposeContext.HF_FOLDER);
	}

	/**
	 * Creates the shared Hugging Face cache before the first job that may use it runs,
	 * owned like a job's {@code logs/} by the OS user jobs run as (they all write to it).
	 * A link there is left alone and refused: the cache must be the shared root's own
	 * folder, never one a link points elsewhere.
	 */
	Path ensureHfCache() throws IOException, JobDirRefusedException {
		Path hf = hfCache();
		if (Files.isSymbolicLink(hf)) {
			throw new JobDirRefusedException("the Hugging Face cache " + hf + " is a symbolic link; refused");
		}
		if (!Files.isDirectory(hf, LinkOption.NOFOLLOW_LINKS)) {
			Files.createDirectories(hf);
			handOverWorkDir(hf);
		}
		return hf;
	}

	/**
	 * {@code <job dir>/config/raylane_placement}, the folder {@link #writeSubmission}
	 * puts the placement shim in, alone. Pure.
	 */
	public Path placementShimDir(String jobId, String jobDir) throws JobDirRefusedException {
		return locate(jobId, jobDir).resolve("config").resolve(PlacementShim.DIR);
	}

	/** {@code <job dir>/secrets}, where {@link #writeSecrets} puts them. Pure. */
	public Path secretsDir(String jobId, String jobDir) throws JobDirRefusedException {
		return locate(jobId, jobDir).resolve(JobSecrets.DIR);
	}

	/**
	 * Writes a job's secrets, before Ray is asked to run it: {@code secrets/env} and
	 * {@code secrets/netrc}, in a directory only their owner (and the configured group)
	 * may enter. Each file is created with its final mode before anything is written into
	 * it, then moved into place, so no reader ever sees a secret with looser permissions;
	 * a redelivered command rewrites the same content.
	 * @return the secrets directory
	 */
	public Path writeSecrets(String jobId, String jobDir, JobSecrets secrets)
			throws JobDirRefusedException, IOException {
		Path dir = locate(jobId, jobDir);
		checkReal(Files.createDirectories(dir));
		Path secretsDir = dir.resolve(JobSecrets.DIR);
		if (Files.isSymbolicLink(secretsDir)) {
			throw new JobDirRefusedException("the secrets directory " + secretsDir + " is a symbolic link; refused");
		}
		if (!Files.isDirectory(secretsDir, LinkOption.NOFOLLOW_LINKS)) {
			Files.createDirectory(secretsDir,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		// the mode asked at creation is reduced by the umask; set it exactly, then hand
		// it over
		Files.setPosixFilePermissions(secretsDir, PosixFilePermissions.fromString(this.secretsAccess.dirMode()));
		handOver(secretsDir);
		writeSecretFile(secretsDir.resolve(JobSecrets.ENV_FILE), secrets.envFile());
		if (secrets.netrc() != null) {
			writeSecretFile(secretsDir.resolve(JobSecrets.NETRC_FILE), secrets.netrc());
		}
		return secretsDir;
	}

	/**
	 * Deletes a job's {@code secrets/} once the job has ended; true when there was one.
	 */
	public boolean deleteSecrets(String jobId, String jobDir) throws JobDirRefusedException, IOException {
		Path secretsDir = secretsDir(jobId, jobDir);
		if (Files.isSymbolicLink(secretsDir)) {
			// never follow it; removing the link itself is enough
			return Files.deleteIfExists(secretsDir);
		}
		if (!Files.isDirectory(secretsDir)) {
			return false;
		}
		try (var files = Files.list(secretsDir)) {
			for (Path file : files.toList()) {
				Files.deleteIfExists(file);
			}
		}
		return Files.deleteIfExists(secretsDir);
	}

	private void writeSecretFile(Path file, String text) throws IOException {
		Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
		try {
			Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(this.secretsAccess.fileMode()));
			handOver(tmp);
			Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING);
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

	/**
	 * Issue 12: where the job runs as another OS user than the submitter (the owner of
	 * {@link SecretsAccess}), the folders the job writes ({@code logs/},
	 * {@code checkpoints/}) are that user's; everything else stays the submitter's. Never
	 * through a link.
	 */
	private void handOverWorkDir(Path dir) throws IOException {
		if (this.secretsAccess.owner() != null && !Files.isSymbolicLink(dir)) {
			Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
				.setOwner(dir.getFileSystem()
					.getUserPrincipalLookupService()
					.lookupPrincipalByName(this.secretsAccess.owner()));
		}
	}

	/** Gives a secrets file or directory to the configured owner and group. */
	private void handOver(Path path) throws IOException {
		UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
		if (this.secretsAccess.group() != null) {
			Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
				.setGroup(users.lookupPrincipalByGroupName(this.secretsAccess.group()));
		}
		if (this.secretsAccess.owner() != null) {
			Files.setOwner(path, users.lookupPrincipalByName(this.secretsAccess.owner()));
		}
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
	 * Writes a short note next to the job's logs ({@code logs/<name>}), never through a
	 * link planted in the job directory.
	 */
	public Path writeLogNote(String jobId, String jobDir, String name, String text)
			throws JobDirRefusedException, IOException {
		String folder = jobFolder(jobId, jobDir);
		try {
			return this.files.writeAtomically(folder, "logs", name, text);
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
