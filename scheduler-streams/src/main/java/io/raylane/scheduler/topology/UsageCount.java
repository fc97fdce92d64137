package io.raylane.scheduler.topology;

/**
 * A change of one per-pool usage counter ({@code active|<pool>} or
 * {@code gpus|<pool>|<user>}), published on the compacted internal topic
 * {@code <application.id>-usage} so every instance sees every pool's counts in its global
 * store {@value SchedulerTopology#GLOBAL_USAGE}. Zero deletes the counter.
 *
 * @param key the counter
 * @param value its new value
 */
record UsageCount(String key, int value) {

	static String active(String pool) {
		return "active|" + pool;
	}

	static String gpus(String pool, String user) {
		return "gpus|" + pool + "|" + ((user != null) ? user : "");
	}

}
