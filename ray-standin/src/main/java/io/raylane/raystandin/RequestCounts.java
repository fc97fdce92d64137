package io.raylane.raystandin;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many HTTP requests the head has served, per route (method and path with the job id
 * replaced by {@code {id}}), so a benchmark can report the load Raylane puts on Ray
 * (issue 17 goal 3: Ray requests per second). Counting only; nothing reads it to decide.
 */
final class RequestCounts {

	private static final String JOBS = "/api/jobs/";

	private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

	void count(String method, String rawPath) {
		this.counts.computeIfAbsent(routeOf(method, rawPath), (key) -> new LongAdder()).increment();
	}

	/** A copy of the counts so far, by route. */
	Map<String, Long> snapshot() {
		Map<String, Long> copy = new TreeMap<>();
		this.counts.forEach((route, count) -> copy.put(route, count.sum()));
		return copy;
	}

	/**
	 * The route of a request: the method and the path, with the submission id of a job
	 * route as {@code {id}} (one counter per route, not per job).
	 */
	static String routeOf(String method, String rawPath) {
		String path = (rawPath == null || rawPath.isEmpty()) ? "/" : rawPath;
		if (path.startsWith(JOBS) && path.length() > JOBS.length()) {
			String[] rest = path.substring(JOBS.length()).split("/", 2);
			path = JOBS + "{id}" + ((rest.length > 1) ? "/" + rest[1] : "");
		}
		return method + " " + path;
	}

}
