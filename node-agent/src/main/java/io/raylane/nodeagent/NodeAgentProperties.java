package io.raylane.nodeagent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.raylane.support.retry.BoundedRetry;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the node agent ({@code raylane.node-agent.*}). The SSH key, known_hosts
 * file, accept-new switch and Ray head address have the environment names of the
 * acceptance interface (RAYLANE_SSH_KEY, RAYLANE_SSH_KNOWN_HOSTS,
 * RAYLANE_SSH_ACCEPT_NEW_HOST_KEYS, RAYLANE_RAY_HEAD_ADDRESS) and are read in
 * {@link NodeAgentConfiguration}.
 *
 * @param group consumer group of {@code raylane.node-commands}
 * @param concurrency listener threads, i.e. nodes worked on at once (at most the topic's
 * partitions)
 * @param maxConcurrentCommands SSH commands running at once over all nodes
 * @param keyDir directory of the key files a NodeSpec's {@code ssh_key} may name (default
 * {@code ~/.ssh})
 * @param connectTimeout TCP connect timeout
 * @param authTimeout key exchange and authentication timeout
 * @param commandTimeout how long {@code ray start} / {@code ray stop} may run
 * @param stopGrace {@code ray stop --grace-period}; {@code ray stop --force} follows if
 * that did not work
 * @param tailLines lines of stdout/stderr carried in the events
 * @param rayCommand how Ray's CLI is invoked on the nodes
 * @param poolArgs extra {@code ray start} arguments per pool, e.g.
 * {@code pool-args.a100[0]=--disable-usage-stats}
 * @param retry retries of an unreachable node
 */
@ConfigurationProperties("raylane.node-agent")
public record NodeAgentProperties(@DefaultValue("raylane-node-agent") String group, @DefaultValue("3") int concurrency,
		@DefaultValue("8") int maxConcurrentCommands, Path keyDir, @DefaultValue("10s") Duration connectTimeout,
		@DefaultValue("15s") Duration authTimeout, @DefaultValue("120s") Duration commandTimeout,
		@DefaultValue("16s") Duration stopGrace, @DefaultValue("20") int tailLines,
		@DefaultValue("ray") List<String> rayCommand, Map<String, List<String>> poolArgs, @DefaultValue Retry retry) {

	/** The key directory, {@code ~/.ssh} unless configured. */
	public Path keyDirOrDefault() {
		return (this.keyDir != null) ? this.keyDir : Path.of(System.getProperty("user.home"), ".ssh");
	}

	/**
	 * @param maxRetries retries after the first attempt
	 * @param delay first backoff
	 * @param multiplier backoff growth
	 * @param maxDelay longest backoff
	 */
	public record Retry(@DefaultValue("4") long maxRetries, @DefaultValue("1s") Duration delay,
			@DefaultValue("2.0") double multiplier, @DefaultValue("10s") Duration maxDelay) implements BoundedRetry {
	}

}
