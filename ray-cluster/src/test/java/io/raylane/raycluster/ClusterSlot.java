package io.raylane.raycluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where one {@link RealRayCluster} lives, unique on this machine while its file lock is
 * held: the link-local subnet {@code 169.254.<octet>.0/24}, the namespace and link prefix
 * {@code r<octet>} and the state directory {@code /tmp/rlc-<octet>} (short: Ray's unix
 * socket paths live below it). The lock dies with the JVM, so a slot left by a crashed
 * run is free again and its leftovers are stopped by the next owner.
 */
record ClusterSlot(int octet, FileChannel channel, FileLock lock) {

	private static final Path LOCKS = Path.of("/tmp/raylane-ray-locks");

	private static final int FIRST = 100;

	private static final int COUNT = 150;

	/**
	 * Claims a free slot: none whose subnet is on an interface already (211 is
	 * cluster.sh's default, 169 holds 169.254.169.254, the cloud metadata address).
	 */
	static ClusterSlot claim() {
		String addresses = RealRayPrerequisites.run(10, "ip", "-o", "-4", "addr", "show");
		try {
			Files.createDirectories(LOCKS);
			int start = ThreadLocalRandom.current().nextInt(COUNT);
			for (int i = 0; i < COUNT; i++) {
				int octet = FIRST + (start + i) % COUNT;
				if (octet == 211 || octet == 169 || addresses.contains(" 169.254." + octet + ".")) {
					continue;
				}
				FileChannel channel = FileChannel.open(LOCKS.resolve("169.254." + octet + ".lock"),
						StandardOpenOption.CREATE, StandardOpenOption.WRITE);
				FileLock lock;
				try {
					lock = channel.tryLock();
				}
				catch (OverlappingFileLockException ex) {
					lock = null;
				}
				if (lock != null) {
					return new ClusterSlot(octet, channel, lock);
				}
				channel.close();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot claim a cluster slot in " + LOCKS, ex);
		}
		throw new IllegalStateException("no free cluster slot (169.254.100-249.0/24) on this machine");
	}

	String subnet() {
		return "169.254." + this.octet;
	}

	/** At most 5 characters: cluster.sh builds link names from it. */
	String name() {
		return "r" + this.octet;
	}

	Path dir() {
		return Path.of("/tmp/rlc-" + this.octet);
	}

	void release() {
		try {
			this.lock.release();
			this.channel.close();
		}
		catch (IOException ex) {
			// the lock goes with the channel and the JVM anyway
		}
	}

}
