package io.raylane.raystandin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The {@code ray} stand-in (resource {@code ray-standin.sh}): a shell script whose
 * {@code ray start} joins the local head with the given resources, GPUs, IP and labels,
 * and whose {@code ray stop} leaves, through the head's {@code /raylane-local/v1/nodes}
 * routes. Put it on a worker's PATH (e.g. the SSH server's) so the node-agent's
 * {@code ray start --address=<local head host:port>} provisions a simulated worker the
 * way it would a real one.
 */
public final class RayStandIn {

	private RayStandIn() {
	}

	/**
	 * Writes the script as {@code
	 *
	<dir>
	 * /ray} (executable) and returns its path.
	 */
	public static Path install(Path dir) throws IOException {
		Files.createDirectories(dir);
		Path ray = dir.resolve("ray");
		try (InputStream script = RayStandIn.class.getResourceAsStream("ray-standin.sh")) {
			if (script == null) {
				throw new IOException("ray-standin.sh is missing from the classpath");
			}
			Files.copy(script, ray, StandardCopyOption.REPLACE_EXISTING);
		}
		Files.setPosixFilePermissions(ray, PosixFilePermissions.fromString("rwxr-xr-x"));
		return ray;
	}

}
