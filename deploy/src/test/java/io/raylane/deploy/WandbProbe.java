package io.raylane.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A W&amp;B-enabled ppo job whose "verl" is the TEST FIXTURE
 * src/test/resources/fixtures/wandb-probe (put first on PYTHONPATH through
 * {@code code_path}): it reports whether the driver and, on a real Ray, a Ray task got
 * the user's key, by comparing SHA-256s, never printing it. The user's own key is
 * {@code <data dir>/secrets/<user>/wandb_api_key}, the submitter's per-user folder.
 */
final class WandbProbe {

	/** The user's key: random, so that finding it anywhere cannot be a coincidence. */
	final String key = "wk-probe-" + UUID.randomUUID().toString().replace("-", "");

	private final Path shared;

	private final String user;

	WandbProbe(Path shared, String user) {
		this.shared = shared;
		this.user = user;
	}

	/**
	 * Installs the fixture, the model and data paths the API checks, and the user's key.
	 */
	WandbProbe install(Path dataDir) throws IOException {
		Path source = Path.of("src/test/resources/fixtures/wandb-probe");
		Path target = codePath();
		try (Stream<Path> files = Files.walk(source)) {
			for (Path file : files.toList()) {
				Path to = target.resolve(source.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(to);
				}
				else {
					Files.copy(file, to);
				}
			}
		}
		Files.createDirectories(this.shared.resolve("common/models/tiny"));
		Files.createDirectories(this.shared.resolve("common/datasets/toy"));
		Files.writeString(this.shared.resolve("common/datasets/toy/train.parquet"), "");
		Path keyFile = dataDir.resolve("secrets").resolve(this.user).resolve("wandb_api_key");
		Files.createDirectories(keyFile.getParent());
		Files.writeString(keyFile, this.key + "\n");
		return this;
	}

	Path codePath() {
		return this.shared.resolve("users").resolve(this.user).resolve("code/wandb-probe");
	}

	/** The JobSpec: W&amp;B on, the probe as verl, running at least {@code seconds}. */
	String yaml(String name, int seconds) {
		return """
				name: %s
				workload: ppo
				verl_version: "0.7"
				resources: {nnodes: 1, n_gpus_per_node: 1}
				model: {path: %s}
				data: {train_files: [%s]}
				wandb: {enabled: true, project: probe, run_name: %s}
				code_path: %s
				env: {PROBE_KEY_SHA256: "%s", PROBE_SECONDS: "%d"}
				""".formatted(name, this.shared.resolve("common/models/tiny"),
				this.shared.resolve("common/datasets/toy/train.parquet"), name, codePath(), sha256(this.key), seconds);
	}

	static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
