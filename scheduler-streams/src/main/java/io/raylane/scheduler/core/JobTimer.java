package io.raylane.scheduler.core;

/**
 * The kinds of timer a job can have in the deadline index (a job has at most one at a
 * time). Each is stored under its {@link #code()}, so the names of timers already in a
 * state store never change.
 */
public enum JobTimer {

	/**
	 * A QUEUED job that may not wait longer ({@code raylane.scheduler.max-queued-time}):
	 * it ends REJECTED.
	 */
	QUEUED("queued"),

	/**
	 * A job on Ray whose timeout (start + timeout) ends here: the scheduler asks Ray to
	 * stop it.
	 */
	RUN("run"),

	/**
	 * A timed-out job whose stop Ray has not confirmed within the grace period: it ends
	 * TIMED_OUT anyway.
	 */
	GRACE("grace"),

	/**
	 * A DISPATCHED job whose submission failed for a transient reason is submitted again
	 * here.
	 */
	RETRY("retry");

	private final String code;

	JobTimer(String code) {
		this.code = code;
	}

	public String code() {
		return this.code;
	}

	/** The kind stored as {@code code}, or null for a code this version does not know. */
	public static JobTimer of(String code) {
		for (JobTimer kind : values()) {
			if (kind.code.equals(code)) {
				return kind;
			}
		}
		return null;
	}

}
