package io.raylane.cli.render;

import java.util.Locale;

/**
 * One line of {@code submit --follow}: a bar from the job's progress (step of total, as
 * the observer reads it from a verl driver log) and its status. Jobs without steps (a
 * command job) show an empty bar until they succeed.
 */
public final class ProgressBar {

	public static final int WIDTH = 30;

	private ProgressBar() {
	}

	/**
	 * {@code [#########.....................]  12/40  30%  RUNNING}.
	 * @param step the last step the job reached, or null
	 * @param total its total steps, or null
	 * @param status the job's status
	 */
	public static String line(Integer step, Integer total, String status) {
		String state = (status != null) ? status : "UNKNOWN";
		if (step != null && total != null && total > 0) {
			int done = Math.max(0, Math.min(step, total));
			int percent = (int) ((100L * done) / total);
			return bar(fill(done, total)) + "  " + done + "/" + total + "  "
					+ String.format(Locale.ROOT, "%3d%%", percent) + "  " + state;
		}
		return bar("SUCCEEDED".equals(state) ? WIDTH : 0) + "  " + state;
	}

	static int fill(int done, int total) {
		return (int) ((long) WIDTH * done / total);
	}

	private static String bar(int filled) {
		return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]";
	}

}
