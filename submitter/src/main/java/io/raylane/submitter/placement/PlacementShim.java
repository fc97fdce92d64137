package io.raylane.submitter.placement;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.raylane.rayclient.wire.RayJobSubmitRequest;
import io.raylane.rayclient.wire.RayJson;

/**
 * Puts the placement shim into a submission (docs/scheduling.md "Placement that Ray
 * obeys"): {@code raylane_placement/sitecustomize.py}, which Python imports at start in
 * every process whose {@code PYTHONPATH} names its folder, adds the job's label selector
 * to every placement group's bundles and to every GPU actor or task that has no placement
 * group. The submission gets the selector in {@value #SELECTOR_ENV}, the shim's folder
 * first on {@code PYTHONPATH} (Ray gives the job's runtime_env env_vars to the driver and
 * to every worker of the job), and the same selector for the driver
 * ({@code entrypoint_label_selector}) unless it names Ray's own node ids (nodes learned
 * from Ray: ids that change when a node re-joins). Pure but for reading the script from
 * the classpath.
 */
public final class PlacementShim {

	/** The folder that holds the shim alone, inside the job's {@code config/}. */
	public static final String DIR = "raylane_placement";

	public static final String SCRIPT = "sitecustomize.py";

	/** The variable the shim reads its selector from (JSON object, string to string). */
	public static final String SELECTOR_ENV = "RAYLANE_PLACEMENT_SELECTOR";

	/**
	 * The variable the shim reads the GPUs reserved per node from (JSON object, node
	 * label value to GPUs; {@link PlacementGpus}).
	 */
	public static final String GPUS_ENV = "RAYLANE_PLACEMENT_GPUS";

	static final String NODE_PYTHONPATH = "${PYTHONPATH}";

	private PlacementShim() {
	}

	/**
	 * The request with the shim switched on for {@code selector}; unchanged when the
	 * selector is empty (no reserved node known).
	 * @param shimDir the absolute folder that holds the shim on the shared storage
	 */
	public static RayJobSubmitRequest apply(RayJobSubmitRequest request, Map<String, String> selector, Path shimDir) {
		return apply(request, selector, Map.of(), shimDir);
	}

	/**
	 * The request with the shim switched on for {@code selector} and, when known, the
	 * GPUs reserved per node ({@value #GPUS_ENV}: the shim then pins each GPU bundle to
	 * one node and never beyond those GPUs); unchanged when the selector is empty.
	 * @param gpus the GPUs reserved per node ({@link PlacementGpus#of}); empty = no
	 * ledger
	 * @param shimDir the absolute folder that holds the shim on the shared storage
	 */
	@SuppressWarnings("unchecked")
	public static RayJobSubmitRequest apply(RayJobSubmitRequest request, Map<String, String> selector,
			Map<String, Integer> gpus, Path shimDir) {
		if (selector == null || selector.isEmpty()) {
			return request;
		}
		Map<String, Object> runtimeEnv = new LinkedHashMap<>(
				(request.runtimeEnv() != null) ? request.runtimeEnv() : Map.of());
		Map<String, String> vars = new TreeMap<>();
		if (runtimeEnv.get("env_vars") instanceof Map<?, ?> existing) {
			vars.putAll((Map<String, String>) existing);
		}
		// first, so that no sitecustomize of the code or the venv hides it; the rest
		// as the job had it, else the node's own (Ray expands ${PYTHONPATH})
		String rest = vars.getOrDefault("PYTHONPATH", NODE_PYTHONPATH);
		vars.put("PYTHONPATH", shimDir + (rest.isEmpty() ? "" : ":" + rest));
		vars.put(SELECTOR_ENV, RayJson.requestMapper().writeValueAsString(new TreeMap<>(selector)));
		if (gpus != null && !gpus.isEmpty()) {
			vars.put(GPUS_ENV, RayJson.requestMapper().writeValueAsString(new TreeMap<>(gpus)));
		}
		else {
			// a job's own variable of that name must not pose as Raylane's reservation
			vars.remove(GPUS_ENV);
		}
		runtimeEnv.put("env_vars", vars);
		Map<String, String> driver = new TreeMap<>(
				(request.entrypointLabelSelector() != null) ? request.entrypointLabelSelector() : Map.of());
		// the driver only by a label that outlives a restart: a node learned from Ray is
		// named by Ray's node id, which a raylet gets anew when it re-joins (a head
		// restart), and a driver pinned to the old id could never start; the pool's
		// resource still holds it to the pool
		if (!selector.containsKey(PlacementSelector.RAY_NODE_ID_LABEL)) {
			driver.putAll(selector);
		}
		return new RayJobSubmitRequest(request.entrypoint(), request.submissionId(), runtimeEnv, request.metadata(),
				request.entrypointNumCpus(), request.entrypointNumGpus(), request.entrypointResources(), driver);
	}

	/** The shim's source, shipped in the submitter's jar. */
	public static String script() {
		try (InputStream in = PlacementShim.class.getResourceAsStream("/" + DIR + "/" + SCRIPT)) {
			if (in == null) {
				throw new IllegalStateException(DIR + "/" + SCRIPT + " is missing from the submitter's classpath");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
