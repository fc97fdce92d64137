package io.raylane.jobspec.workload;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The verl versions whose keys the composer knows (docs/reference/verl.md). They differ
 * in SFT: 0.7.0 has the Ray-native {@code verl.trainer.sft_trainer_ray} (multi-node),
 * 0.6.1 only torchrun's {@code verl.trainer.sft_trainer} on one node.
 */
public enum VerlVersion {

	V0_7_0("0.7.0", List.of("0.7", "0.7.0"), "ppo-keys-0.7.0.txt", true),
	V0_6_1("0.6.1", List.of("0.6", "0.6.1"), "ppo-keys-0.6.1.txt", false);

	/** The version used when a spec names none: the newest the reference covers. */
	public static final VerlVersion DEFAULT = V0_7_0;

	private final String label;

	private final List<String> spellings;

	private final String keyFile;

	private final boolean raySft;

	VerlVersion(String label, List<String> spellings, String keyFile, boolean raySft) {
		this.label = label;
		this.spellings = spellings;
		this.keyFile = keyFile;
		this.raySft = raySft;
	}

	public String label() {
		return this.label;
	}

	String keyFile() {
		return this.keyFile;
	}

	/** Whether SFT can run as a multi-node Ray job ({@code sft_trainer_ray}). */
	public boolean hasRaySft() {
		return this.raySft;
	}

	/**
	 * {@code null} or blank → {@link #DEFAULT}; otherwise one of the accepted spellings.
	 */
	public static Optional<VerlVersion> parse(String value) {
		if (value == null || value.isBlank()) {
			return Optional.of(DEFAULT);
		}
		return Arrays.stream(values()).filter((v) -> v.spellings.contains(value.trim())).findFirst();
	}

	public static String accepted() {
		return String.join(", ", Arrays.stream(values()).flatMap((v) -> v.spellings.stream()).toList());
	}

}
