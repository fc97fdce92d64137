package io.raylane.jobspec.workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What verl's own config says about override keys, per version, from the lists
 * {@code verl-keys/generate.py} writes out of the real verl package (resources
 * {@code verl/<version>/}; docs/reference/verl.md §1):
 * <ul>
 * <li>{@code ppo-keys.txt} / {@code sft-keys.txt}: every key of the config the entry
 * module composes, which a plain {@code a.b=v} may name (any other key needs {@code +} or
 * {@code ++});</li>
 * <li>{@code legacy-keys.txt}: the old top-level reward keys (0.8+), each either moved to
 * its {@code reward.*} key at start-up (0.8) or accepted by Hydra and then never read
 * (0.9): {@link LegacyKey}.</li>
 * </ul>
 */
public final class VerlKeys {

	/**
	 * An old reward key (or a folder of them) and what the version does with it.
	 *
	 * @param key the key, or a dict node standing for every key under it
	 * @param ignored true when verl accepts it but nothing reads it; false when its
	 * start-up moves the value to {@code target}
	 * @param target the key that replaces it, or null when none does
	 */
	public record LegacyKey(String key, boolean ignored, String target) {

		/**
		 * The key that replaces {@code overridden} (this key or one under it), or null.
		 */
		public String replacement(String overridden) {
			return (this.target != null) ? this.target + overridden.substring(this.key.length()) : null;
		}

	}

	private static final Map<VerlVersion, Set<String>> PPO = new EnumMap<>(VerlVersion.class);

	private static final Map<VerlVersion, Set<String>> SFT = new EnumMap<>(VerlVersion.class);

	private static final Map<VerlVersion, List<LegacyKey>> LEGACY = new EnumMap<>(VerlVersion.class);

	static {
		for (VerlVersion version : VerlVersion.values()) {
			PPO.put(version, Set.copyOf(lines(version, "ppo-keys.txt")));
			SFT.put(version, Set.copyOf(lines(version, "sft-keys.txt")));
			List<LegacyKey> legacy = new ArrayList<>();
			for (String line : lines(version, "legacy-keys.txt")) {
				String[] parts = line.split("\t");
				legacy.add(new LegacyKey(parts[0], parts[1].equals("ignored"), parts[2].equals("-") ? null : parts[2]));
			}
			// longest first, so the first match is the most specific entry
			legacy.sort(Comparator.comparingInt((LegacyKey l) -> l.key().length()).reversed());
			LEGACY.put(version, List.copyOf(legacy));
		}
	}

	private VerlKeys() {
	}

	/** Whether {@code key} exists in the config the workload's entry module composes. */
	public static boolean exists(VerlVersion version, boolean sft, String key) {
		return keys(version, sft).contains(key);
	}

	/** Every key of the version's PPO/GRPO ({@code sft} false) or SFT config. */
	public static Set<String> keys(VerlVersion version, boolean sft) {
		return sft ? SFT.get(version) : PPO.get(version);
	}

	/**
	 * The old reward key entry that {@code key} is, or lies under (PPO and GRPO), if any.
	 */
	public static Optional<LegacyKey> legacy(VerlVersion version, String key) {
		return LEGACY.get(version)
			.stream()
			.filter((l) -> key.equals(l.key()) || key.startsWith(l.key() + "."))
			.findFirst();
	}

	/** The data lines of one generated resource ({@code #} comments left out). */
	static List<String> lines(VerlVersion version, String file) {
		String resource = "verl/" + version.label() + "/" + file;
		try (InputStream in = VerlKeys.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("missing generated key list " + resource + " (verl-keys/generate.sh)");
			}
			try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
				return reader.lines().map(String::strip).filter((l) -> !l.isEmpty() && !l.startsWith("#")).toList();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
