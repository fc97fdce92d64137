package io.raylane.deploy;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 17 goal 5: the all-in-one returns the heap its start-up grew to the OS. Started
 * as the README says ({@code java -jar}, no options), the JVM may take a quarter of the
 * machine's memory as heap and, with G1's defaults, keeps what the start-up of the broker
 * and five services committed (most of it garbage by then) for as long as it runs. Once
 * everything is up, the launcher lowers the heap's free ratios, has one garbage
 * collection done (the start-up's garbage goes and the heap shrinks to what lives plus
 * the free share), and has G1 collect (and shrink) again whenever it has been idle for
 * {@link #PERIODIC_GC_MILLIS}. These are "manageable" HotSpot flags, settable at run time
 * (HotSpot's {@code -XX:+PrintFlagsFinal} marks them); options given on the command line
 * ({@code -XX:MaxHeapFreeRatio=...}, another collector) keep their say: a flag set there,
 * or one this JVM does not have, is left alone.
 */
final class IdleHeap {

	private static final Logger log = LoggerFactory.getLogger(IdleHeap.class);

	/**
	 * G1's idle collection: after this long without a collection, one concurrent cycle
	 * that also gives free heap back (JEP 346).
	 */
	static final long PERIODIC_GC_MILLIS = 60_000;

	private IdleHeap() {
	}

	/**
	 * The flags to set, in order: the minimum free ratio first, since HotSpot refuses a
	 * minimum above the maximum and the maximum below the minimum.
	 */
	static Map<String, String> flags() {
		Map<String, String> flags = new LinkedHashMap<>();
		// after a collection the heap shrinks to at most live / (1 - 30 %), grows to keep
		// at least 10 % free (defaults 70 % and 40 %)
		flags.put("MinHeapFreeRatio", "10");
		flags.put("MaxHeapFreeRatio", "30");
		flags.put("G1PeriodicGCInterval", String.valueOf(PERIODIC_GC_MILLIS));
		return flags;
	}

	/** Sets {@link #flags()} where the command line did not, then collects once. */
	static void trim() {
		HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		flags().forEach((name, value) -> {
			try {
				if (hotspot.getVMOption(name).getOrigin() == VMOption.Origin.DEFAULT) {
					hotspot.setVMOption(name, value);
				}
			}
			catch (IllegalArgumentException ex) {
				// not a flag of this JVM or collector, or a value it refuses: keep its
				// own
				log.debug("heap flag {}={} not set: {}", name, value, ex.getMessage());
			}
		});
		// one full collection, right after start-up: nearly all of the heap then is the
		// start-up's garbage, and G1 gives memory back after a full collection
		System.gc();
	}

}
