package io.raylane.nodeagent.ssh;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the agent connects to worker nodes.
 *
 * @param defaultKey the private key file used unless a NodeSpec names another
 * (RAYLANE_SSH_KEY)
 * @param keyDir where keys named by a NodeSpec's {@code ssh_key} live (a NodeSpec names a
 * file, never a path)
 * @param knownHosts the OpenSSH known_hosts file host keys are checked against
 * (RAYLANE_SSH_KNOWN_HOSTS)
 * @param acceptNewHostKeys accept-new: an unknown host's key is accepted and recorded in
 * {@code knownHosts}; a changed key is always refused (RAYLANE_SSH_ACCEPT_NEW_HOST_KEYS,
 * default false = strict)
 * @param connectTimeout TCP connect (and channel open) timeout
 * @param authTimeout key exchange and authentication timeout
 * @param commandTimeout how long one remote command may run
 * @param maxConcurrentCommands remote commands running at once, over all nodes
 * @param tailLines lines of stdout/stderr kept for the events
 */
public record SshSettings(Path defaultKey, Path keyDir, Path knownHosts, boolean acceptNewHostKeys,
		Duration connectTimeout, Duration authTimeout, Duration commandTimeout, int maxConcurrentCommands,
		int tailLines) {

	public SshSettings {
		if (maxConcurrentCommands < 1) {
			throw new IllegalArgumentException("maxConcurrentCommands must be at least 1");
		}
	}

}
