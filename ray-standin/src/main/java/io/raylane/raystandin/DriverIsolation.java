package io.raylane.raystandin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How far the local head keeps its drivers from the service that runs it (issue 12 "Jobs
 * cannot read Raylane's secrets"): each driver works in its own directory
 * {@code <workRoot>/<submission id>}, which is also its {@code HOME} and {@code TMPDIR},
 * away from the head's state and Raylane's data directory; and, with a {@code user}, the
 * entrypoint runs as that OS user ({@code setpriv --reuid --regid --clear-groups}, from
 * util-linux), which needs the head to run as root. The wrapper that records the exit
 * code stays the head's, so it still writes into the head's state.
 * <p>
 * Real Ray does the same with the OS user its workers were started as; see
 * docs/architecture.md "Job processes and Raylane's secrets".
 *
 * @param user the OS user drivers run as, or null for the head's own user
 * @param workRoot where each driver gets its own working directory, or null for the
 * head's job folder in its state (no isolation)
 */
public record DriverIsolation(String user, Path workRoot) {

	/** Drivers run as the head's user, in the head's job folders. */
	public static final DriverIsolation NONE = new DriverIsolation(null, null);

	public DriverIsolation {
		user = (user != null && !user.isBlank()) ? user.strip() : null;
		workRoot = (workRoot != null) ? workRoot.toAbsolutePath().normalize() : null;
		if (user != null && workRoot == null) {
			throw new IllegalArgumentException("a driver user needs a work root it can write");
		}
	}

	/** Whether this process may start others as another user (it runs as root). */
	public static boolean canSwitchUser() {
		return "0".equals(run("id", "-u")) && run("setpriv", "--version") != null;
	}

	/** The driver's working directory (and HOME): its own, or {@code headJobDir}. */
	Path workDir(String submissionId, Path headJobDir) {
		return (this.workRoot != null) ? this.workRoot.resolve(submissionId) : headJobDir;
	}

	/**
	 * Creates the driver's own directory: the root may be entered but not listed by the
	 * driver's user, its own directory is that user's alone.
	 */
	void prepare(Path workDir) throws IOException {
		if (this.workRoot == null) {
			return;
		}
		Files.createDirectories(this.workRoot);
		Files.setPosixFilePermissions(this.workRoot, PosixFilePermissions.fromString("rwx--x--x"));
		if (Files.isSymbolicLink(workDir)) {
			throw new IOException("the driver's directory " + workDir + " is a symbolic link; refused");
		}
		Files.createDirectories(workDir);
		Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwx------"));
		if (this.user != null) {
			UserPrincipalLookupService users = workDir.getFileSystem().getUserPrincipalLookupService();
			PosixFileAttributeView view = Files.getFileAttributeView(workDir, PosixFileAttributeView.class,
					LinkOption.NOFOLLOW_LINKS);
			view.setOwner(users.lookupPrincipalByName(this.user));
			GroupPrincipal group = users.lookupPrincipalByGroupName(run("id", "-gn", this.user));
			view.setGroup(group);
		}
	}

	/**
	 * The words put before the entrypoint's shell: none, or {@code setpriv} switching to
	 * {@link #user} with its own group only.
	 */
	List<String> dropPrivileges() {
		if (this.user == null) {
			return List.of();
		}
		String uid = run("id", "-u", this.user);
		String gid = run("id", "-g", this.user);
		if (uid == null || gid == null) {
			throw new IllegalStateException("no OS user '" + this.user + "' to run drivers as");
		}
		return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--");
	}

	/** The first line a command prints, or null when it fails. */
	private static String run(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
				return null;
			}
			return out.lines().findFirst().orElse(null);
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

}
