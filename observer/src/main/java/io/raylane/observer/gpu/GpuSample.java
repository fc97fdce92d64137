package io.raylane.observer.gpu;

import java.time.Instant;

/**
 * GPU use attributed to one running job at one scrape ({@link GpuAttribution}):
 * accounting averages these over an interval, the idle detector watches them.
 *
 * @param at when the nodes were scraped (the poll's now)
 * @param utilizationPercent mean utilization (0–100) of the job's GPUs
 * @param memoryMib highest GPU memory in use on one of the job's GPUs (MiB), null when no
 * node reported it
 */
public record GpuSample(Instant at, double utilizationPercent, Double memoryMib) {
}
