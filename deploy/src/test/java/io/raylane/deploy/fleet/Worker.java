package io.raylane.deploy.fleet;

/**
 * A worker container as the fleet tests see it: where to SSH to, and whether Ray (the
 * stand-in) runs there.
 */
public interface Worker extends AutoCloseable {

	String ip();

	int port();

	/**
	 * Whether the stand-in recorded a joined node here (ray start ran and ray stop did
	 * not).
	 */
	boolean rayRunning();

}
