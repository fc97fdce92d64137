package io.raylane.raystandin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The simulated GPUs of the local head's worker nodes: per node IP, each GPU's
 * utilization and memory in use, as a test or a user sets them
 * ({@link LocalRayHead#simulateGpus}). A node's GPUs are created idle (0 %, nothing in
 * use) when it joins and dropped when it leaves; a node that joins again starts idle.
 * Thread-safe.
 */
final class SimulatedGpus {

	/** The simulated card: an 80 GiB A100, as NVML names and sizes it. */
	static final String DEVICE_NAME = "NVIDIA A100-SXM4-80GB";

	static final double TOTAL_MIB = 80 * 1024;

	/** One GPU's values, as Ray's reporter agent reads them from NVML. */
	record Gpu(int index, double utilization, double gramUsedMib) {

		double gramAvailableMib() {
			return TOTAL_MIB - this.gramUsedMib;
		}

	}

	private final Map<String, Gpu[]> byIp = new HashMap<>();

	synchronized void added(String ip, int gpus) {
		Gpu[] cards = new Gpu[gpus];
		for (int i = 0; i < gpus; i++) {
			cards[i] = new Gpu(i, 0, 0);
		}
		this.byIp.put(ip, cards);
	}

	synchronized void removed(String ip) {
		this.byIp.remove(ip);
	}

	synchronized boolean knows(String ip) {
		return this.byIp.containsKey(ip);
	}

	/**
	 * Sets one GPU's values, or every GPU of the node when {@code gpuIndex} is null.
	 * @throws NoSuchElementException when no ALIVE simulated node has this IP
	 * @throws IllegalArgumentException naming the bad value (utilization, gram_used_mib
	 * or gpu_index)
	 */
	synchronized List<Gpu> set(String ip, Integer gpuIndex, double utilization, double gramUsedMib) {
		Gpu[] cards = this.byIp.get(ip);
		if (cards == null) {
			throw new NoSuchElementException("no ALIVE worker node at " + ip);
		}
		if (!(utilization >= 0 && utilization <= 100)) {
			throw new IllegalArgumentException(
					"utilization must be a percentage between 0 and 100, got " + utilization);
		}
		if (!(gramUsedMib >= 0 && gramUsedMib <= TOTAL_MIB)) {
			throw new IllegalArgumentException("gram_used_mib must be between 0 and " + (long) TOTAL_MIB
					+ " (an 80 GiB card), got " + gramUsedMib);
		}
		if (gpuIndex != null && (gpuIndex < 0 || gpuIndex >= cards.length)) {
			throw new IllegalArgumentException(
					"gpu_index must be between 0 and " + (cards.length - 1) + " on " + ip + ", got " + gpuIndex);
		}
		for (int i = 0; i < cards.length; i++) {
			if (gpuIndex == null || gpuIndex == i) {
				cards[i] = new Gpu(i, utilization, gramUsedMib);
			}
		}
		return List.of(cards.clone());
	}

	/** The node's GPUs in index order; empty for an unknown IP. */
	synchronized List<Gpu> of(String ip) {
		Gpu[] cards = this.byIp.get(ip);
		return (cards == null) ? List.of() : new ArrayList<>(List.of(cards));
	}

}
