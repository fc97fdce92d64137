package io.raylane.raycluster;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Sums the memory of every process of a cluster: each node's PID 1 ({@code node-init.sh},
 * its pid in {@code nodes/<node>/init.pid}) and all its descendants, from
 * {@code /proc/<pid>/smaps_rollup}. PSS counts shared pages once in all; RSS once per
 * process.
 */
final class ClusterMemory {

	private ClusterMemory() {
	}

	static RealRayCluster.Memory of(Path clusterDir) {
		Set<Long> pids = new LinkedHashSet<>();
		try (DirectoryStream<Path> nodes = Files.newDirectoryStream(clusterDir.resolve("nodes"))) {
			for (Path node : nodes) {
				Path initPid = node.resolve("init.pid");
				if (Files.isRegularFile(initPid)) {
					ProcessHandle.of(Long.parseLong(Files.readString(initPid).strip())).ifPresent((init) -> {
						pids.add(init.pid());
						init.descendants().forEach((p) -> pids.add(p.pid()));
					});
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			return new RealRayCluster.Memory(0, 0, 0);
		}
		long rss = 0;
		long pss = 0;
		int counted = 0;
		for (long pid : pids) {
			try {
				for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
					if (line.startsWith("Rss:")) {
						rss += kib(line) * 1024;
					}
					else if (line.startsWith("Pss:")) {
						pss += kib(line) * 1024;
					}
				}
				counted++;
			}
			catch (IOException ex) {
				// ended meanwhile
			}
		}
		return new RealRayCluster.Memory(counted, rss, pss);
	}

	private static long kib(String line) {
		return Long.parseLong(line.replaceAll("[^0-9]", ""));
	}

}
