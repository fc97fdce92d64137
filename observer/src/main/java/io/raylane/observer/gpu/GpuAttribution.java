package io.raylane.observer.gpu;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Attributes scraped GPU utilization to a running job (pure). A job holding
 * {@code g = gpus / count(node_ips)} GPUs on each of its nodes is given, per node, the
 * {@code g} GPUs with the <em>highest</em> utilization: Ray does not say which physical
 * GPU a job's workers use, and on a node shared by several jobs this choice can never
 * make a busy job look idle (at worst an idle job looks busy, so the idle alert errs on
 * the quiet side). The job's sample is the mean utilization over those GPUs of all its
 * scraped nodes; its memory the highest {@code gram_used} among them. No scraped node of
 * the job (or no {@code node_ips}) gives no sample.
 */
public final class GpuAttribution {

	private GpuAttribution() {
	}

	/**
	 * @param gpus GPUs the job holds in all
	 * @param nodeIps the job's nodes
	 * @param readings the GPUs of each node scraped at this poll, by node IP
	 * @param at the scrape time
	 */
	public static Optional<GpuSample> sample(int gpus, List<String> nodeIps, Map<String, List<GpuReading>> readings,
			Instant at) {
		if (gpus <= 0 || nodeIps.isEmpty()) {
			return Optional.empty();
		}
		int perNode = Math.max(1, (int) Math.ceil(gpus / (double) nodeIps.size()));
		List<GpuReading> held = new ArrayList<>();
		for (String ip : nodeIps) {
			List<GpuReading> node = readings.getOrDefault(ip, List.of());
			node.stream()
				.filter((r) -> r.utilizationPercent() != null)
				.sorted(Comparator.comparingDouble(GpuReading::utilizationPercent).reversed())
				.limit(perNode)
				.forEach(held::add);
		}
		if (held.isEmpty()) {
			return Optional.empty();
		}
		double mean = held.stream().mapToDouble(GpuReading::utilizationPercent).average().orElseThrow();
		Double memory = held.stream()
			.map(GpuReading::memoryUsedMib)
			.filter(Objects::nonNull)
			.max(Double::compare)
			.orElse(null);
		return Optional.of(new GpuSample(at, mean, memory));
	}

}
