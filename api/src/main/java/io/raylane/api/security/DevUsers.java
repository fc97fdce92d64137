package io.raylane.api.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users of the local stack when no users file is given: {@code alice} and {@code bob}
 * (role user) and {@code admin} (role admin). Their tokens live in
 * {@code <raylane.data.dir>/dev-tokens.txt} (lines {@code name token}, mode 600) so a
 * restart keeps them; they are printed once at start-up, which is the one place a token
 * is ever shown.
 */
final class DevUsers {

	static final String FILE_NAME = "dev-tokens.txt";

	static final List<String> NAMES = List.of("alice", "bob", "admin");

	private static final Logger log = LoggerFactory.getLogger(DevUsers.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	private DevUsers() {
	}

	static Set<Role> rolesOf(String name) {
		return "admin".equals(name) ? Set.of(Role.ADMIN) : Set.of(Role.USER);
	}

	/**
	 * The dev users' tokens (name → token), reusing the file's and creating the missing
	 * ones.
	 */
	static Map<String, String> loadOrCreate(Path dataDir) {
		Path file = dataDir.resolve(FILE_NAME);
		try {
			Map<String, String> tokens = Files.exists(file) ? read(file) : new LinkedHashMap<>();
			tokens.keySet().retainAll(NAMES);
			boolean changed = false;
			for (String name : NAMES) {
				if (!tokens.containsKey(name)) {
					tokens.put(name, newToken());
					changed = true;
				}
			}
			if (changed) {
				write(file, tokens);
			}
			StringBuilder line = new StringBuilder();
			tokens.forEach((name, token) -> line.append(' ').append(name).append('=').append(token));
			// the single place a token is shown, and only for generated dev users of a
			// local stack
			log.warn("LOCAL STACK dev users (tokens also in {}):{}", file.toAbsolutePath(), line);
			return tokens;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read or write dev tokens in " + file, ex);
		}
	}

	static String newToken() {
		byte[] bytes = new byte[24];
		RANDOM.nextBytes(bytes);
		return "rl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static Map<String, String> read(Path file) throws IOException {
		Map<String, String> tokens = new LinkedHashMap<>();
		for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
			String[] parts = line.trim().split("\\s+");
			if (parts.length == 2 && !parts[0].startsWith("#")) {
				tokens.put(parts[0], parts[1]);
			}
		}
		return tokens;
	}

	private static void write(Path file, Map<String, String> tokens) throws IOException {
		Files.createDirectories(file.toAbsolutePath().getParent());
		StringBuilder text = new StringBuilder();
		NAMES.forEach((name) -> text.append(name).append(' ').append(tokens.get(name)).append('\n'));
		Path temp = file.resolveSibling(FILE_NAME + ".tmp");
		Files.deleteIfExists(temp);
		createOwnerOnly(temp);
		Files.writeString(temp, text, StandardCharsets.UTF_8);
		Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	/** Creates the file readable by its owner only, before any token is written to it. */
	private static void createOwnerOnly(Path file) throws IOException {
		try {
			Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		catch (UnsupportedOperationException ex) {
			try {
				Files.createFile(file);
			}
			catch (FileAlreadyExistsException ignored) {
				// created between the two calls: written below all the same
			}
		}
	}

}
