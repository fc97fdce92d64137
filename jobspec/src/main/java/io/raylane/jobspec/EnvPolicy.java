package io.raylane.jobspec;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.JobSpec;

/**
 * Which {@code env} names a JobSpec may set (issue 12). The variables reach the driver
 * and every process Ray starts for the job (runtime_env {@code env_vars}), so a name that
 * changes how Ray, the GPU runtime or the dynamic loader behave is refused with the field
 * named:
 * <ul>
 * <li>{@code RAY_*}: Ray's own settings (its address, token, logging, resource handling)
 * and {@code RAYLANE_*}, Raylane's;</li>
 * <li>{@code CUDA_VISIBLE_DEVICES} (and {@code NVIDIA_VISIBLE_DEVICES}): Ray sets them to
 * the GPUs it assigned, so a job could use GPUs another job holds;</li>
 * <li>{@code LD_PRELOAD}, {@code LD_AUDIT}: code loaded into every process of the
 * job;</li>
 * <li>{@code PYTHONPATH} except entries inside {@code code_path} (Raylane puts
 * {@code code_path} first itself) or the node's own {@code ${PYTHONPATH}}: code from
 * folders the storage policy never checked.</li>
 * </ul>
 * Allowed with reason: everything else, e.g. {@code NCCL_*}, {@code LD_LIBRARY_PATH},
 * {@code HF_*}, {@code VLLM_*}: they tune the job's own processes only. So a job may set
 * its own {@code HF_HOME} over Raylane's default, the shared cache {@code <root>/hf}
 * (issue 16 item 5): a cache elsewhere costs only that job's downloads.
 */
public final class EnvPolicy {

	static final Set<String> RESERVED = Set.of("CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES", "LD_PRELOAD",
			"LD_AUDIT");

	static final List<String> RESERVED_PREFIXES = List.of("RAY_", "RAYLANE_");

	static final String NODE_PYTHONPATH = "${PYTHONPATH}";

	private EnvPolicy() {
	}

	/** Adds an error for every {@code env} name the spec may not set. */
	public static void check(JobSpec spec, List<FieldError> errors) {
		for (Map.Entry<String, String> entry : spec.envOrEmpty().entrySet()) {
			problem(entry.getKey(), entry.getValue(), spec.codePath())
				.ifPresent((message) -> errors.add(new FieldError("env." + entry.getKey(), message)));
		}
	}

	/** What is wrong with setting {@code name} to {@code value}, if anything. */
	static Optional<String> problem(String name, String value, String codePath) {
		if (name == null) {
			return Optional.empty();
		}
		if (RESERVED_PREFIXES.stream().anyMatch(name::startsWith)) {
			return Optional.of("is reserved: variables starting with " + String.join(" or ", RESERVED_PREFIXES)
					+ " change how Ray and Raylane run the job");
		}
		if (RESERVED.contains(name)) {
			return Optional.of("is reserved: Ray and the runtime set it for the job (GPU assignment, code loading)");
		}
		if (name.equals("PYTHONPATH") && value != null) {
			for (String entry : value.split(":", -1)) {
				if (!entry.equals(NODE_PYTHONPATH) && !inside(entry, codePath)) {
					return Optional.of("'" + entry + "' is outside code_path: put your code under code_path ("
							+ ((codePath != null) ? codePath : "not set")
							+ "), which Raylane puts first on PYTHONPATH");
				}
			}
		}
		return Optional.empty();
	}

	private static boolean inside(String entry, String codePath) {
		if (codePath == null || codePath.isBlank() || !entry.startsWith("/")
				|| List.of(entry.split("/")).contains("..")) {
			return false;
		}
		try {
			return Path.of(entry).normalize().startsWith(Path.of(codePath).normalize());
		}
		catch (InvalidPathException ex) {
			return false;
		}
	}

}
