package io.raylane.jobspec.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.NcclBandwidth;

/**
 * The {@code nccl_check} workload (roadmap §10.1, issue 16 item 6): an all-reduce
 * bandwidth test across each pair of a gang's nodes, so that ops can verify InfiniBand /
 * RoCE before handing nodes to users. Pure.
 * <p>
 * <b>What runs.</b> NVIDIA nccl-tests' {@code all_reduce_perf}, started by Open MPI's
 * {@code mpirun} with one process per GPU on the two nodes of a pair
 * ({@code -np 2K -H a:K,b:K ... all_reduce_perf -g 1}). It is the tool NCCL's own
 * maintainers and the NIC vendors quote bandwidth in (nccl-tests README: multi-node runs
 * go through MPI; doc/PERFORMANCE.md defines "busbw"), so the figure an operator reads in
 * the job view compares directly with theirs, e.g. about 24 GB/s per 200 Gb/s NIC
 * (NVIDIA/nccl-tests#119). A {@code torch.distributed} script would need no MPI, but
 * measures the framework too and its numbers match no reference. So a node of such a pool
 * needs what a cluster acceptance test needs anyway: nccl-tests built with {@code MPI=1}
 * on {@code PATH}, Open MPI, and SSH between the nodes as the user Ray runs as
 * (docs/jobspec.md, docs/sop/node-onboarding.md).
 * <p>
 * <b>Pairs.</b> A ring: node i with node i+1, the last with the first (one pair for two
 * nodes). Each node is measured twice, so a slow link shows as two slow pairs sharing one
 * node, and the cost grows with the number of nodes, not its square.
 * <p>
 * <b>Output.</b> Before each pair the entrypoint prints
 * {@code raylane-nccl-check: pair <node a> <node b>}, after it
 * {@code raylane-nccl-check: exit <mpirun's code>}; the observer reads
 * {@link NcclBandwidth} per pair from what lies between. The job fails when any pair
 * failed, after every pair has run. Every value that reaches the shell is single-quoted.
 */
public final class NcclCheck {

	/** A pair needs two nodes; more than this makes the driver log too long to read. */
	static final int MAX_NODES = 64;

	/**
	 * Message sizes from 8 MiB to 4 GiB, doubling: large messages are where the links
	 * saturate, and eleven sizes keep each pair's run and output short.
	 */
	static final List<String> SIZES = List.of("-b", "8M", "-e", "4G", "-f", "2", "-g", "1");

	static final String BINARY = "all_reduce_perf";

	/**
	 * Open MPI passes only the variables named with {@code -x} to the remote processes:
	 * the loader's and the shell's search paths, then every runtime_env variable (the
	 * pool's NCCL / IB settings above all).
	 */
	static final List<String> ALWAYS_EXPORTED = List.of("PATH", "LD_LIBRARY_PATH");

	private NcclCheck() {
	}

	/** The rules of a {@code nccl_check} spec beyond the common ones. */
	static void check(JobSpec spec, List<FieldError> errors) {
		if (spec.command() != null) {
			errors.add(new FieldError("command", "is only for workload 'command'"));
		}
		int nodes = spec.resourcesOrDefault().nodes();
		if (nodes < 2 || nodes > MAX_NODES) {
			errors.add(new FieldError("resources.nnodes", "must be between 2 and " + MAX_NODES
					+ " for nccl_check: it measures the links between pairs of nodes"));
		}
		if (spec.resourcesOrDefault().gpusPerNode() < 1) {
			errors.add(new FieldError("resources.n_gpus_per_node", "must be at least 1 for nccl_check"));
		}
	}

	/** The pairs the check runs, as indexes into the gang: a ring. */
	static List<int[]> pairs(int nodes) {
		List<int[]> pairs = new ArrayList<>();
		if (nodes == 2) {
			pairs.add(new int[] { 0, 1 });
		}
		else if (nodes > 2) {
			for (int i = 0; i < nodes; i++) {
				pairs.add(new int[] { i, (i + 1) % nodes });
			}
		}
		return pairs;
	}

	/**
	 * The shell command: each pair in turn, its exit code printed, and the job's exit
	 * code 1 when any pair failed. Without the gang's addresses (a spec measured before
	 * dispatch, a node whose IP is unknown) it prints why and exits 2.
	 */
	static String entrypoint(JobSpec spec, ComposeContext ctx, Map<String, Object> runtimeEnv) {
		int nodes = spec.resourcesOrDefault().nodes();
		int gpus = spec.resourcesOrDefault().gpusPerNode();
		if (ctx.nodes().size() != nodes || ctx.nodeIps().size() != nodes
				|| ctx.nodeIps().stream().anyMatch(String::isBlank)) {
			return "echo " + ShellQuote.quote(NcclBandwidth.MARKER + " the addresses of the job's " + nodes
					+ " nodes are unknown; nothing measured") + " >&2; exit 2";
		}
		List<String> exported = new ArrayList<>(ALWAYS_EXPORTED);
		envNames(runtimeEnv).stream().filter((name) -> !exported.contains(name)).forEach(exported::add);
		StringBuilder sh = new StringBuilder("rc=0");
		for (int[] pair : pairs(nodes)) {
			String a = ctx.nodes().get(pair[0]);
			String b = ctx.nodes().get(pair[1]);
			sh.append("; echo ")
				.append(ShellQuote.quote(NcclBandwidth.MARKER + " " + NcclBandwidth.PAIR))
				.append(' ')
				.append(ShellQuote.quote(a))
				.append(' ')
				.append(ShellQuote.quote(b));
			List<String> argv = new ArrayList<>(List.of("mpirun", "-np", Integer.toString(2 * gpus), "-H",
					ctx.nodeIps().get(pair[0]) + ":" + gpus + "," + ctx.nodeIps().get(pair[1]) + ":" + gpus,
					"--bind-to", "none"));
			exported.forEach((name) -> argv.addAll(List.of("-x", name)));
			argv.add(BINARY);
			argv.addAll(SIZES);
			sh.append("; ");
			sh.append(String.join(" ", argv.stream().map(ShellQuote::quote).toList()));
			sh.append("; s=$?; echo ")
				.append(ShellQuote.quote(NcclBandwidth.MARKER + " " + NcclBandwidth.EXIT))
				.append(" \"$s\"; [ \"$s\" -eq 0 ] || rc=1");
		}
		return sh.append("; exit \"$rc\"").toString();
	}

	@SuppressWarnings("unchecked")
	private static List<String> envNames(Map<String, Object> runtimeEnv) {
		Object vars = runtimeEnv.get("env_vars");
		return (vars instanceof Map<?, ?> map) ? List.copyOf(((Map<String, String>) map).keySet()) : List.of();
	}

}
