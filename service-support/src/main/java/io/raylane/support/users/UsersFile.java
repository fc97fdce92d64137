package io.raylane.support.users;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.raylane.topics.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The users file ({@code raylane.users.file}) as written, read by the API (who may call
 * it) and by the scheduler (each user's GPU quota), which cannot see each other's memory:
 * <pre>
 * users:
 *   - {name: alice, token: "s3cret", roles: [user], gpu_quota: 8, max_jobs: 200, max_ray_jobs: 20}
 *   - {name: ops, token_sha256: "&lt;64 hex chars&gt;", roles: [admin]}
 *   - {name: bob, token: "t0k", roles: [user], wandb_api_key_file: /etc/raylane/secrets/bob/wandb_api_key}
 * </pre> Only the YAML shape is checked here; what an entry means (and whether it is
 * complete) is its reader's.
 *
 * @param users the entries in file order (empty when the file lists none; an entry may be
 * null)
 */
public record UsersFile(List<Entry> users) {

	private static final YAMLMapper STRICT = Json.yaml()
		.rebuild()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private static final YAMLMapper LENIENT = Json.yaml()
		.rebuild()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	public UsersFile {
		users = (users != null) ? users : List.of();
	}

	/**
	 * One user.
	 *
	 * @param name the user name (owner of jobs)
	 * @param token its bearer token, or
	 * @param tokenSha256 the SHA-256 of it in hex
	 * @param roles {@code user}, {@code admin}
	 * @param gpuQuota GPUs the user may hold at once (the scheduler's)
	 * @param wandbApiKeyFile a file holding only this user's W&amp;B API key, for the
	 * user's W&amp;B jobs (the submitter's); the file's name, never the key, is here
	 * @param maxJobs jobs the user may have queued or running at once (the API's and the
	 * scheduler's; issue 12); unset = {@code raylane.jobs.max-active-per-user}
	 * @param maxRayJobs jobs the user may have on the Ray head at once (the scheduler's;
	 * issue 12); unset = {@code raylane.scheduler.default-max-ray-jobs}
	 */
	public record Entry(String name, String token, String tokenSha256, List<String> roles, Integer gpuQuota,
			String wandbApiKeyFile, Integer maxJobs, Integer maxRayJobs) {

		/** An entry without a W&amp;B key file. */
		public Entry(String name, String token, String tokenSha256, List<String> roles, Integer gpuQuota) {
			this(name, token, tokenSha256, roles, gpuQuota, null);
		}

		/** An entry without its own job caps. */
		public Entry(String name, String token, String tokenSha256, List<String> roles, Integer gpuQuota,
				String wandbApiKeyFile) {
			this(name, token, tokenSha256, roles, gpuQuota, wandbApiKeyFile, null, null);
		}

		/** Without the token. */
		@Override
		public String toString() {
			return "Entry[" + this.name + ", " + this.roles + ", gpuQuota=" + this.gpuQuota + ", maxJobs="
					+ this.maxJobs + ", maxRayJobs=" + this.maxRayJobs + "]";
		}

	}

	/**
	 * The API's reading: a field this version does not know fails, so a misspelt
	 * {@code token_sha256} cannot pass unnoticed.
	 * @throws IllegalStateException naming the file when it cannot be read as a users
	 * file
	 */
	public static UsersFile read(Path file) {
		return read(file, STRICT);
	}

	/**
	 * The scheduler's reading: fields it does not know are skipped, so a field added for
	 * the API never stops it.
	 * @throws IllegalStateException naming the file when it cannot be read as a users
	 * file
	 */
	public static UsersFile readKnownFields(Path file) {
		return read(file, LENIENT);
	}

	private static UsersFile read(Path file, YAMLMapper mapper) {
		try {
			UsersFile parsed = mapper.readValue(Files.readAllBytes(file), UsersFile.class);
			return (parsed != null) ? parsed : new UsersFile(List.of());
		}
		catch (IOException | JacksonException ex) {
			throw new IllegalStateException("users file " + file + " is unreadable: " + ex.getMessage(), ex);
		}
	}

}
