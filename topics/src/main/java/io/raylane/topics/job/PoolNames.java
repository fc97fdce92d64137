package io.raylane.topics.job;

import java.util.regex.Pattern;

/**
 * What a pool name may look like, in a JobSpec and in a NodeSpec alike. Pool names become
 * Ray resource names ({@code raylane-pool-<pool>}): lower case, digits, hyphens.
 */
public final class PoolNames {

	public static final Pattern PATTERN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

	private PoolNames() {
	}

}
