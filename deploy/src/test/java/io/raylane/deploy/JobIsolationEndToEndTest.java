package io.raylane.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import io.raylane.raystandin.DriverIsolation;
import io.raylane.submitter.placement.PlacementShim;
import io.raylane.topics.json.Json;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 "Jobs cannot read Raylane's secrets", reproduced on the all-in-one: a command
 * job {@code cat}s the development tokens file (the admin token included). Before, it
 * printed every token: jobs ran as Raylane's user with its data directory in reach. Now,
 * where the launcher runs as root (CI does), jobs run as {@code nobody} and the read
 * fails; everywhere, the data directory is the launcher's alone (0700, the tokens 0600),
 * a job's HOME is its own folder outside it, and its environment carries none of
 * Raylane's settings. A launcher that is not root cannot keep a job of its own user away
 * from its files: docs/architecture.md says what production does instead.
 */
@Tag("slow")
class JobIsolationEndToEndTest {

	static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);

	@TempDir
	Path root;

	@AutoClose
	LocalStack stack;

	@Test
	void shouldKeepTheTokensFileAndRaylanesSettingsOutOfAJobsReach() throws Exception {
		boolean root = DriverIsolation.canSwitchUser();
		LocalStackSettings settings = LocalStackSettings.forTest(this.root);
		if (root) {
			// the job user must reach its job directory under the shared root
			Files.setPosixFilePermissions(this.root, PosixFilePermissions.fromString("rwxr-xr-x"));
			settings = settings.withJobUser("nobody");
		}
		this.stack = LocalStack.start(settings);
		Path dataDir = this.stack.settings().dataDir();
		Path tokensFile = dataDir.resolve("dev-tokens.txt");
		Map<String, String> tokens = RaylaneClient.devTokens(dataDir);
		RaylaneClient alice = new RaylaneClient(this.stack.apiUrl(), tokens.get("alice"));
		alice.awaitHealthy();

		assertThat(Files.getPosixFilePermissions(dataDir)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
				PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
		assertThat(Files.getPosixFilePermissions(tokensFile)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
				PosixFilePermission.OWNER_WRITE);

		// 1. the environment and the home of a job
		String look = alice.submitCommand("look-around", "id -un; echo \"home=$HOME\"; env", 1, 0);
		JsonNode looked = alice.awaitStatus(look, JOB_TIMEOUT, "SUCCEEDED", "FAILED");
		String seen = logs(alice, look);
		assertThat(looked.get("status").asString()).as(seen).isEqualTo("SUCCEEDED");
		// the variables Raylane gives a job on purpose: its placement selector and GPUs
		// per node (docs/scheduling.md); no setting of Raylane's own services
		assertThat(seen.replace(PlacementShim.SELECTOR_ENV + "=", "").replace(PlacementShim.GPUS_ENV + "=", ""))
			.doesNotContain("RAYLANE_")
			.doesNotContain("home=" + dataDir);
		assertThat(seen).doesNotContain(tokens.get("admin"));
		if (root) {
			assertThat(seen).contains("\nnobody\n");
		}

		// 2. the reproduction: cat the tokens file
		if (root) {
			String cat = alice.submitCommand("steal-tokens", "cat " + tokensFile, 1, 0);
			JsonNode stolen = alice.awaitStatus(cat, JOB_TIMEOUT, "SUCCEEDED", "FAILED");
			String output = logs(alice, cat);
			assertThat(stolen.get("status").asString()).as(output).isEqualTo("FAILED");
			assertThat(output).contains("Permission denied")
				.doesNotContain(tokens.get("admin"))
				.doesNotContain(tokens.get("alice"));
		}
	}

	private static String logs(RaylaneClient client, String id) {
		return Json.mapper().readTree(client.get("/v1/jobs/" + id + "/logs").body()).get("logs").asString();
	}

}
