package io.raylane.scheduler.topology;

/**
 * A change of one per-pool usage counter ({@code active|<pool>},
 * {@code gpus|<pool>|<user>}, and since issue 12 {@code ray|<pool>|<user>}: the user's
 * jobs on the Ray head, {@code jobs|<pool>|<user>}: the user's jobs queued or running),
 * published on the compacted internal topic {@code <application.id>-usage} so every
 * instance sees every pool's counts in its global store
 * {@value SchedulerTopology#GLOBAL_USAGE}. Zero deletes the counter.
 *
 * @param key the counter
 * @param value its new value
 */
record UsageCount(String key, int value) {

	static final String GPUS = "gpus";

	static final String RAY_JOBS = "ray";

	static final String JOBS = "jobs";

	static String active(String pool) {
		return "active|" + pool;
	}

	static String gpus(String pool, String user) {
		return perUser(GPUS, pool, user);
	}

	static String perUser(String kind, String pool, String user) {
		return kind + "|" + pool + "|" + ((user != null) ? user : "");
	}

}
