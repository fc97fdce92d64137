package io.raylane.raystandin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import io.raylane.rayclient.wire.RayJobDetails;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 "Jobs cannot read Raylane's secrets": the local head's drivers work in their
 * own folder (their HOME), never see Raylane's {@code RAYLANE_*} settings, and, when the
 * head runs as root, run as another OS user that cannot read the head's files.
 */
class LocalRayHeadDriverIsolationTest {

	static final Map<String, Double> POOL = Map.of("raylane-pool-default", 1.0);

	@TempDir
	Path stateDir;

	@TempDir
	Path workRoot;

	@Test
	void shouldLeaveRaylanesOwnSettingsOutOfTheDriversEnvironment() {
		Map<String, String> env = JobManager.withoutRaylanes(Map.of("PATH", "/usr/bin", "RAYLANE_USERS_FILE",
				"/etc/raylane/users.yaml", "RAYLANE_RAY_AUTH_TOKEN", "t0k", "LANG", "C.UTF-8"));

		assertThat(env).containsOnlyKeys("PATH", "LANG");
	}

	@Test
	void shouldRunEachDriverInItsOwnFolderAsItsHome() {
		try (LocalRayHead head = LocalRayHead.start(LocalRayHeadConfig.defaults(this.stateDir)
			.withPort(0)
			.withIsolation(new DriverIsolation(null, this.workRoot)))) {
			RayHttp ray = new RayHttp(head.address());

			String id = ray.submit("pwd; echo \"home=$HOME\"", POOL);

			assertThat(ray.awaitStatus(id, "SUCCEEDED", "FAILED").status()).isEqualTo("SUCCEEDED");
			Path own = this.workRoot.toAbsolutePath().resolve(id);
			assertThat(ray.logs(id)).contains(own + "\n").contains("home=" + own + "\n");
		}
	}

	/**
	 * The reproduction: a job reads a file only the head's user may read. As root the
	 * head runs it as {@code nobody}, and the read fails; the head still records how it
	 * ended.
	 */
	@Test
	void shouldRunTheDriverAsAnotherUserWhoCannotReadTheHeadsFiles() throws Exception {
		Assumptions.assumeTrue(DriverIsolation.canSwitchUser(), "needs root and setpriv to switch users");
		Path secret = Files.writeString(this.stateDir.resolve("tokens.txt"), "admin the-admin-token\n");
		Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
		try (LocalRayHead head = LocalRayHead.start(LocalRayHeadConfig.defaults(this.stateDir)
			.withPort(0)
			.withIsolation(new DriverIsolation("nobody", this.workRoot)))) {
			RayHttp ray = new RayHttp(head.address());

			String id = ray.submit("id -un; touch \"$HOME/mine\" && echo wrote-home; cat " + secret, POOL);

			RayJobDetails job = ray.awaitStatus(id, "SUCCEEDED", "FAILED");
			assertThat(job.status()).isEqualTo("FAILED");
			assertThat(ray.logs(id)).contains("nobody\n", "wrote-home\n", "Permission denied")
				.doesNotContain("the-admin-token");
			assertThat(Files.getOwner(this.workRoot.resolve(id)).getName()).isEqualTo("nobody");
		}
	}

}
