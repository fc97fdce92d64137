package io.raylane.topics.job;

import java.util.List;

/**
 * The all-reduce bandwidth NVIDIA nccl-tests' {@code all_reduce_perf} measured across one
 * pair of a {@code nccl_check} job's nodes (roadmap §10.1, issue 16 item 6), as the
 * observer reads it from the job's driver log. Units are nccl-tests' own: GB/s, 10^9
 * bytes per second (nccl-tests doc/PERFORMANCE.md explains "busbw").
 *
 * @param nodes the two node ids, in the order the check paired them
 * @param busbwGbPerS the out-of-place bus bandwidth at the largest message size, GB/s:
 * the figure to compare with the links' speed; null when no result line was printed
 * @param sizeBytes the largest message size measured (bytes)
 * @param avgBusbwGbPerS nccl-tests' own "Avg bus bandwidth" over every size, GB/s (small
 * sizes pull it down)
 * @param outOfBounds nccl-tests' "Out of bounds values" count (wrong results; 0 = OK)
 * @param exitCode mpirun's exit code for the pair, once it ended
 */
public record NcclBandwidth(List<String> nodes, Double busbwGbPerS, Long sizeBytes, Double avgBusbwGbPerS,
		Integer outOfBounds, Integer exitCode) {

	/**
	 * The prefix of the lines the {@code nccl_check} entrypoint prints around each pair's
	 * output, so the reader knows which pair a result belongs to.
	 */
	public static final String MARKER = "raylane-nccl-check:";

	/** {@code raylane-nccl-check: pair <node a> <node b>}, before a pair's run. */
	public static final String PAIR = "pair";

	/** {@code raylane-nccl-check: exit <code>}, after it. */
	public static final String EXIT = "exit";

	public NcclBandwidth {
		nodes = (nodes != null) ? List.copyOf(nodes) : List.of();
	}

}
