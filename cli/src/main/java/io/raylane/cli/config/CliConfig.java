package io.raylane.cli.config;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.raylane.cli.CliException;
import io.raylane.cli.ExitCodes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The user's config file ({@code $RAYLANE_CONFIG}, default
 * {@code ~/.config/raylane/config.yaml}): the API's URL and the user's token, written by
 * {@code raylane login}. The token is a secret, so the file is 0600 and a folder the CLI
 * creates for it 0700. {@code RAYLANE_URL} and {@code RAYLANE_TOKEN} override the file,
 * each on its own (CI jobs set them and never log in).
 */
public final class CliConfig {

	public static final String CONFIG_VAR = "RAYLANE_CONFIG";

	public static final String URL_VAR = "RAYLANE_URL";

	public static final String TOKEN_VAR = "RAYLANE_TOKEN";

	private static final YAMLMapper YAML = new YAMLMapper();

	private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

	private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

	private final Path file;

	private final Map<String, String> env;

	CliConfig(Path file, Map<String, String> env) {
		this.file = file;
		this.env = env;
	}

	/**
	 * The config of this environment: its RAYLANE_CONFIG, else the one under
	 * {@code home}.
	 */
	public static CliConfig of(Map<String, String> env, Path home) {
		String named = env.get(CONFIG_VAR);
		Path file = (named != null && !named.isBlank()) ? Path.of(named)
				: home.resolve(".config").resolve("raylane").resolve("config.yaml");
		return new CliConfig(file, env);
	}

	public Path file() {
		return this.file;
	}

	/** What the file holds (either part may be null); empty when there is no file. */
	public Optional<Endpoint> stored() {
		if (!Files.isRegularFile(this.file)) {
			return Optional.empty();
		}
		try {
			JsonNode root = YAML.readTree(Files.readString(this.file));
			if (root == null || !root.isObject()) {
				return Optional.of(new Endpoint(null, null));
			}
			return Optional.of(new Endpoint(text(root, "url"), text(root, "token")));
		}
		catch (IOException | JacksonException ex) {
			throw new CliException(ExitCodes.USAGE, "cannot read the config file " + this.file + ": "
					+ ex.getMessage().lines().findFirst().orElse("") + " (run raylane login again)");
		}
	}

	/**
	 * The endpoint to call: RAYLANE_URL and RAYLANE_TOKEN where set, else the file's.
	 * @throws CliException (exit 5) when a URL or token is missing
	 */
	public Endpoint endpoint() {
		Endpoint stored = stored().orElse(new Endpoint(null, null));
		String url = firstSet(this.env.get(URL_VAR), stored.url());
		String token = firstSet(this.env.get(TOKEN_VAR), stored.token());
		if (url == null || token == null) {
			throw new CliException(ExitCodes.NOT_LOGGED_IN,
					"not logged in: no " + ((url == null) ? "API URL" : "token") + " in " + this.file
							+ " or RAYLANE_URL/RAYLANE_TOKEN; run: raylane login --url <api url> --token <token>");
		}
		return new Endpoint(url, token);
	}

	/**
	 * Writes the URL and token: a new file with mode 0600 moved over the old one, so the
	 * token is never readable by others, not even for a moment.
	 */
	public void save(Endpoint endpoint) throws IOException {
		Path dir = this.file.toAbsolutePath().getParent();
		boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
		if (!Files.isDirectory(dir)) {
			createPrivateDirectories(dir, posix);
		}
		Map<String, String> content = new LinkedHashMap<>();
		content.put("url", endpoint.url());
		content.put("token", endpoint.token());
		FileAttribute<?>[] attributes = posix
				? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(FILE_MODE) } : new FileAttribute<?>[0];
		Path temporary = Files.createTempFile(dir, ".config", ".tmp", attributes);
		try {
			Files.writeString(temporary, YAML.writeValueAsString(content));
			try {
				Files.move(temporary, this.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temporary, this.file, StandardCopyOption.REPLACE_EXISTING);
			}
			if (posix) {
				Files.setPosixFilePermissions(this.file, FILE_MODE);
			}
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	/**
	 * Only the folders it creates become 0700: an existing one (e.g. home) is left alone.
	 */
	private static void createPrivateDirectories(Path dir, boolean posix) throws IOException {
		Path parent = dir.getParent();
		if (parent != null && !Files.isDirectory(parent)) {
			createPrivateDirectories(parent, posix);
		}
		Files.createDirectory(dir);
		if (posix) {
			Files.setPosixFilePermissions(dir, DIR_MODE);
		}
	}

	private static String text(JsonNode root, String field) {
		JsonNode value = root.get(field);
		return (value != null && value.isString() && !value.asString().isBlank()) ? value.asString() : null;
	}

	private static String firstSet(String first, String second) {
		if (first != null && !first.isBlank()) {
			return first;
		}
		return (second != null && !second.isBlank()) ? second : null;
	}

}
