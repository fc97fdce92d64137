package io.raylane.observer.diagnose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.raylane.topics.job.NcclBandwidth;

/**
 * Reads the bus bandwidth per node pair from the driver log of a {@code nccl_check} job
 * (issue 16 item 6; the entrypoint is jobspec's {@code NcclCheck}). Each pair's output
 * lies between {@code raylane-nccl-check: pair <a> <b>} and
 * {@code raylane-nccl-check: exit <code>}; inside it, nccl-tests' {@code all_reduce_perf}
 * prints a table whose rows are
 * {@code size count type redop root time algbw busbw #wrong time algbw busbw #wrong}
 * (older versions have no {@code root} column and call {@code #wrong} "error"; both end
 * with the out-of-place then the in-place triple, so the out-of-place busbw is the sixth
 * column from the end), then {@code # Out of bounds values : N OK} and
 * {@code # Avg bus bandwidth : X}. Lines {@code mpirun --tag-output} prefixes with
 * {@code [1,0]<stdout>:} read the same. The log tail is bounded, so a pair whose output
 * scrolled out keeps what an earlier reading found. Pure.
 */
public final class NcclCheckReader {

	/** At most this many pairs in a job view (the composer's ring of 64 nodes). */
	static final int MAX_PAIRS = 64;

	private static final Pattern MPI_TAG = Pattern.compile("^\\s*\\[\\d+,\\d+\\]<std(?:out|err)>:");

	private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");

	private static final Pattern AVG = Pattern.compile("^#\\s*Avg bus bandwidth\\s*:\\s*(\\S+)");

	private static final Pattern OUT_OF_BOUNDS = Pattern.compile("^#\\s*Out of bounds values\\s*:\\s*(\\d+)");

	private NcclCheckReader() {
	}

	/**
	 * @param log the tail of the driver log (null: nothing read)
	 * @param previous the pairs read before (null or empty: none)
	 * @return every pair known, in the order first seen; a pair the tail shows again is
	 * replaced by the later reading
	 */
	public static List<NcclBandwidth> read(String log, List<NcclBandwidth> previous) {
		Map<List<String>, NcclBandwidth> pairs = new LinkedHashMap<>();
		if (previous != null) {
			previous.forEach((p) -> pairs.put(p.nodes(), p));
		}
		if (log != null) {
			Pair current = null;
			for (String raw : log.split("\\R")) {
				String line = MPI_TAG.matcher(raw).replaceFirst("").strip();
				if (line.startsWith(NcclBandwidth.MARKER)) {
					String[] words = line.substring(NcclBandwidth.MARKER.length()).strip().split("\\s+");
					if (words.length == 3 && words[0].equals(NcclBandwidth.PAIR)) {
						current = new Pair(List.of(words[1], words[2]));
					}
					else if (words.length == 2 && words[0].equals(NcclBandwidth.EXIT) && current != null) {
						current.exitCode = integer(words[1]);
					}
					put(pairs, current);
					continue;
				}
				if (current != null) {
					current.read(line);
					put(pairs, current);
				}
			}
		}
		return new ArrayList<>(pairs.values());
	}

	private static void put(Map<List<String>, NcclBandwidth> pairs, Pair pair) {
		if (pair != null && (pairs.containsKey(pair.nodes) || pairs.size() < MAX_PAIRS)) {
			pairs.put(pair.nodes, pair.result());
		}
	}

	/** One pair's output as read so far. */
	private static final class Pair {

		final List<String> nodes;

		Double busbw;

		Long size;

		Double avg;

		Integer outOfBounds;

		Integer exitCode;

		Pair(List<String> nodes) {
			this.nodes = nodes;
		}

		void read(String line) {
			Matcher m = AVG.matcher(line);
			if (m.find()) {
				this.avg = decimal(m.group(1));
				return;
			}
			m = OUT_OF_BOUNDS.matcher(line);
			if (m.find()) {
				this.outOfBounds = integer(m.group(1));
				return;
			}
			if (line.startsWith("#")) {
				return;
			}
			// a result row: size and count first, the two triples last
			String[] cols = line.split("\\s+");
			if (cols.length < 12 || !cols[0].matches("\\d{1,18}") || !cols[1].matches("\\d{1,18}")) {
				return;
			}
			Double busbw = decimal(cols[cols.length - 6]);
			if (busbw == null) {
				return;
			}
			long size = Long.parseLong(cols[0]);
			if (this.size == null || size >= this.size) {
				this.size = size;
				this.busbw = busbw;
			}
		}

		NcclBandwidth result() {
			return new NcclBandwidth(this.nodes, this.busbw, this.size, this.avg, this.outOfBounds, this.exitCode);
		}

	}

	private static Double decimal(String text) {
		if (!NUMBER.matcher(text).matches()) {
			return null;
		}
		double value = Double.parseDouble(text);
		return Double.isFinite(value) ? value : null;
	}

	private static Integer integer(String text) {
		try {
			return Integer.valueOf(text);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
