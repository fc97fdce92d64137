package io.raylane.submitter.dispatch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

import io.raylane.support.users.UsersFile;

/**
 * Finds the W&amp;B API key of a job's user, each user's own before the operator's shared
 * one: (1) the file the users file names for the user ({@code wandb_api_key_file}), (2)
 * {@code <user key dir>/<user>/wandb_api_key}, (3) the global
 * {@code raylane.submitter.wandb.api-key-file}. Files are read at each submission, so a
 * rotated key applies to the next job. A file named for the user that cannot be read is a
 * failure, not a reason to log the user's runs with someone else's key.
 *
 * @param globalKeyFile {@code raylane.submitter.wandb.api-key-file}, or null
 * @param userKeyDir {@code raylane.submitter.wandb.user-key-dir} (default
 * {@code <raylane.data.dir>/secrets}), or null
 * @param usersFile {@code raylane.users.file}, or null
 */
public record WandbKeys(Path globalKeyFile, Path userKeyDir, Path usersFile) {

	static final String USER_KEY_FILE = "wandb_api_key";

	/** User names that are safe as one path segment. */
	private static final Pattern SAFE_USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

	/** Only the shared key. */
	public static WandbKeys global(Path globalKeyFile) {
		return new WandbKeys(globalKeyFile, null, null);
	}

	/**
	 * The key found for {@code user}, or why there is none.
	 *
	 * @param key the key (never log it), null when missing
	 * @param source where it came from (a file name, safe to log)
	 * @param problem why there is none, null when found
	 */
	public record Lookup(String key, String source, String problem) {

		boolean found() {
			return this.key != null;
		}

		static Lookup of(String key, Path source) {
			return new Lookup(key, source.toString(), null);
		}

		static Lookup missing(String problem) {
			return new Lookup(null, null, problem);
		}

		@Override
		public String toString() {
			return "Lookup[source=" + this.source + ", problem=" + this.problem + "]";
		}

	}

	public Lookup keyFor(String user) {
		// 1. the users file names the user's own key file
		if (this.usersFile != null && !this.usersFile.toString().isBlank() && user != null) {
			UsersFile users;
			try {
				users = UsersFile.readKnownFields(this.usersFile);
			}
			catch (IllegalStateException ex) {
				return Lookup.missing("cannot look up the W&B key of " + user + ": " + ex.getMessage());
			}
			String named = users.users()
				.stream()
				.filter(Objects::nonNull)
				.filter((e) -> user.equals(e.name()))
				.map(UsersFile.Entry::wandbApiKeyFile)
				.filter((f) -> f != null && !f.isBlank())
				.findFirst()
				.orElse(null);
			if (named != null) {
				Path file = Path.of(named.strip());
				String key = read(file);
				return (key != null) ? Lookup.of(key, file) : Lookup.missing("the W&B API key file " + file
						+ " named for " + user + " in the users file is missing, unreadable or empty");
			}
		}
		// 2. the user's file in the secrets folder
		if (this.userKeyDir != null && user != null && SAFE_USER.matcher(user).matches()) {
			Path file = this.userKeyDir.resolve(user).resolve(USER_KEY_FILE);
			if (Files.exists(file)) {
				String key = read(file);
				return (key != null) ? Lookup.of(key, file)
						: Lookup.missing("the W&B API key file " + file + " of " + user + " is unreadable or empty");
			}
		}
		// 3. the operator's key for everyone
		if (this.globalKeyFile != null) {
			String key = read(this.globalKeyFile);
			if (key != null) {
				return Lookup.of(key, this.globalKeyFile);
			}
		}
		return Lookup.missing("the job enables W&B but the submitter has no W&B API key for " + user
				+ " (wandb_api_key_file in the users file, "
				+ ((this.userKeyDir != null) ? this.userKeyDir + "/" + user + "/" + USER_KEY_FILE + ", " : "")
				+ "raylane.submitter.wandb.api-key-file)");
	}

	/** The file's content without surrounding white space; null if there is none. */
	static String read(Path file) {
		try {
			if (!Files.isReadable(file)) {
				return null;
			}
			String key = Files.readString(file, StandardCharsets.UTF_8).strip();
			return key.isEmpty() ? null : key;
		}
		catch (IOException ex) {
			return null;
		}
	}

}
