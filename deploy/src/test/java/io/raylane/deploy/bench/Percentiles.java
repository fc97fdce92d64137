package io.raylane.deploy.bench;

import java.util.Arrays;
import java.util.List;

/** Nearest-rank percentiles of a sample, for the benchmarks' reports. */
record Percentiles(int count, double p50, double p90, double p99, double max, double mean) {

	static Percentiles of(List<Double> sample) {
		if (sample.isEmpty()) {
			return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
		}
		double[] sorted = sample.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return new Percentiles(sorted.length, rank(sorted, 0.50), rank(sorted, 0.90), rank(sorted, 0.99),
				sorted[sorted.length - 1], Arrays.stream(sorted).average().orElse(Double.NaN));
	}

	private static double rank(double[] sorted, double q) {
		int index = (int) Math.ceil(q * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

	String format(String unit) {
		return String.format("n=%d  p50=%.1f%s  p90=%.1f%s  p99=%.1f%s  max=%.1f%s  mean=%.1f%s", this.count, this.p50,
				unit, this.p90, unit, this.p99, unit, this.max, unit, this.mean, unit);
	}

}
