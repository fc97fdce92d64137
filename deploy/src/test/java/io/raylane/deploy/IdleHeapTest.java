package io.raylane.deploy;

import java.lang.management.ManagementFactory;
import java.util.List;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heap flags the all-in-one sets once it is up: flags this JDK has and lets a running
 * JVM change, in an order HotSpot accepts.
 */
class IdleHeapTest {

	@Test
	void shouldSetTheMinimumFreeRatioBeforeTheMaximumAndKeepItBelow() {
		List<String> names = List.copyOf(IdleHeap.flags().keySet());

		assertThat(names).containsSubsequence("MinHeapFreeRatio", "MaxHeapFreeRatio");
		assertThat(Integer.parseInt(IdleHeap.flags().get("MinHeapFreeRatio")))
			.isLessThan(Integer.parseInt(IdleHeap.flags().get("MaxHeapFreeRatio")));
		assertThat(IdleHeap.flags()).containsEntry("G1PeriodicGCInterval", String.valueOf(IdleHeap.PERIODIC_GC_MILLIS));
	}

	@Test
	void shouldOnlyNameFlagsARunningJvmMayChange() {
		HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

		for (String name : IdleHeap.flags().keySet()) {
			VMOption option = hotspot.getVMOption(name);
			assertThat(option.isWriteable()).as(name + " is manageable").isTrue();
		}
	}

}
