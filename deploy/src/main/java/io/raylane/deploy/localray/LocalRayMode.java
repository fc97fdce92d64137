package io.raylane.deploy.localray;

import java.util.Locale;

/**
 * {@code RAYLANE_LOCAL_RAY}: what the all-in-one runs as its Ray when
 * {@code RAYLANE_RAY_ADDRESS} names none ({@link LocalRayChoice} decides).
 */
public enum LocalRayMode {

	/**
	 * A real local Ray when a supported {@code ray} CLI is on PATH, else the stand-in.
	 */
	AUTO,

	/** A real local Ray; start-up fails when no supported {@code ray} CLI is on PATH. */
	REAL,

	/** The Java stand-in ({@code ray-standin}'s local head), whatever is installed. */
	STANDIN;

	/** The setting's value; unset or blank is {@link #AUTO}. */
	public static LocalRayMode parse(String value) {
		if (value == null || value.isBlank()) {
			return AUTO;
		}
		try {
			return valueOf(value.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"RAYLANE_LOCAL_RAY must be auto, real or standin, not '" + value.trim() + "'", ex);
		}
	}

}
