package io.raylane.api.storage;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * The shared-storage gauges of docs/metrics.md (api section), read from the shared root's
 * file system at scrape time (cheap: no walk): {@code raylane_shared_storage_size_bytes}
 * and {@code raylane_shared_storage_used_bytes}; the alert
 * {@code RaylaneSharedStorageHigh} (deploy/prometheus/rules) divides them. Both read 0
 * while the shared root is missing.
 */
@Component
final class StorageGauges {

	StorageGauges(MeterRegistry registry, StorageUsage usage) {
		Gauge.builder("raylane.shared.storage.size.bytes", usage, (u) -> value(u, true))
			.description("size of the file system holding the shared root")
			.strongReference(true)
			.register(registry);
		Gauge.builder("raylane.shared.storage.used.bytes", usage, (u) -> value(u, false))
			.description("bytes used on the file system holding the shared root (by anything)")
			.strongReference(true)
			.register(registry);
	}

	private static double value(StorageUsage usage, boolean size) {
		StorageUsage.FileSystemSpace space = usage.space();
		if (space == null) {
			return 0;
		}
		return size ? space.sizeBytes() : space.usedBytes();
	}

}
