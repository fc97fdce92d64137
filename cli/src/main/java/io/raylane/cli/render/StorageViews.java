package io.raylane.cli.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tools.jackson.databind.JsonNode;

/**
 * How {@code raylane ops cleanup} and {@code raylane storage} print the API's answers
 * (docs/cli.md, docs/sop/cleanup.md).
 */
public final class StorageViews {

	/** Jobs {@code raylane storage} lists (largest first, as the API sorts them). */
	static final int MAX_JOBS = 20;

	private StorageViews() {
	}

	/** The answer of {@code POST /v1/ops/cleanup_job_artifacts}. */
	public static String cleanup(JsonNode answer) {
		boolean dry = answer.path("dry_run").asBoolean();
		List<List<String>> rows = new ArrayList<>();
		for (JsonNode job : answer.path("jobs")) {
			String refused = job.path("refused").asString("");
			String kept = refused.isEmpty() ? join(job.path("kept")) : "left alone: " + refused;
			if (job.has("errors")) {
				kept += "; errors: " + join(job.path("errors"));
			}
			rows.add(List.of(job.path("job_id").asString(), bytes(job.path("bytes_freed").asLong()),
					join(job.path("deleted")), kept));
		}
		String head = (dry ? "DRY RUN: would free " : "freed ") + bytes(answer.path("bytes_freed").asLong()) + " of "
				+ rows.size() + " jobs" + (dry ? " (nothing was deleted)" : "") + "\n";
		if (rows.isEmpty()) {
			return head;
		}
		return head + Table.render(List.of("JOB", dry ? "WOULD FREE" : "FREED", "DELETED", "KEPT"), rows);
	}

	/** The answer of {@code GET /v1/storage}. */
	public static String storage(JsonNode answer) {
		StringBuilder text = new StringBuilder();
		JsonNode fs = answer.path("file_system");
		if (fs.isObject()) {
			long size = fs.path("size_bytes").asLong();
			long used = fs.path("used_bytes").asLong();
			text.append("shared storage: ")
				.append(bytes(used))
				.append(" used of ")
				.append(bytes(size))
				.append((size > 0) ? String.format(Locale.ROOT, " (%.0f%%)", 100.0 * used / size) : "")
				.append(", ")
				.append(bytes(fs.path("free_bytes").asLong()))
				.append(" free\n");
		}
		if (answer.has("common_bytes")) {
			text.append("common/: ").append(bytes(answer.path("common_bytes").asLong())).append('\n');
		}
		text.append("as of ").append(answer.path("as_of").asString(""));
		if (answer.path("truncated").asBoolean()) {
			text.append(" (walk truncated: the bytes are a lower bound)");
		}
		text.append("\n\n");
		List<List<String>> users = new ArrayList<>();
		for (JsonNode user : answer.path("users")) {
			users.add(List.of(user.path("user").asString(), bytes(user.path("bytes").asLong()),
					bytes(user.path("home_bytes").asLong()), bytes(user.path("jobs_bytes").asLong())));
		}
		text.append(Table.render(List.of("USER", "TOTAL", "HOME", "JOBS"), users));
		List<List<String>> jobs = new ArrayList<>();
		for (JsonNode job : answer.path("jobs")) {
			if (jobs.size() == MAX_JOBS) {
				break;
			}
			jobs.add(List.of(job.path("job_id").asString(), job.path("user").asString("-"),
					bytes(job.path("bytes").asLong())));
		}
		if (!jobs.isEmpty()) {
			int all = answer.path("jobs").size();
			text.append('\n')
				.append((all > MAX_JOBS) ? "largest " + MAX_JOBS + " of " + all + " job directories:\n" : "")
				.append(Table.render(List.of("JOB", "USER", "SIZE"), jobs));
		}
		return text.toString();
	}

	/** Bytes for people: {@code 512 B}, {@code 1.5 KiB}, {@code 30.0 GiB}. */
	public static String bytes(long bytes) {
		if (bytes < 1024) {
			return bytes + " B";
		}
		String[] units = { "KiB", "MiB", "GiB", "TiB", "PiB" };
		double value = bytes;
		int unit = -1;
		while (value >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit++;
		}
		return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
	}

	private static String join(JsonNode array) {
		List<String> items = new ArrayList<>();
		array.forEach((item) -> items.add(item.asString()));
		return items.isEmpty() ? "-" : String.join(", ", items);
	}

}
