package io.raylane.raystandin;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Ids in Ray's formats: node ids are 28 bytes (56 hex chars), derived here from the state
 * directory and the node's IP and incarnation so that the same simulated node keeps its
 * id across head restarts; Ray job ids are a 4-byte little-endian counter
 * ({@code 01000000}, {@code 02000000}, ...).
 */
final class NodeIds {

	private NodeIds() {
	}

	static String headNodeId(Path stateDir) {
		return digest(stateDir.toString() + "|head");
	}

	/**
	 * {@code incarnation} counts earlier joins of the same IP, so a node that rejoins
	 * gets a new id, as in Ray.
	 */
	static String workerNodeId(Path stateDir, String ip, int incarnation) {
		return digest(stateDir.toString() + "|worker|" + ip + "|" + incarnation);
	}

	static String rayJobId(int counter) {
		return String.format("%02x%02x%02x%02x", counter & 0xff, (counter >>> 8) & 0xff, (counter >>> 16) & 0xff,
				(counter >>> 24) & 0xff);
	}

	static int rayJobCounter(String rayJobId) {
		byte[] b = HexFormat.of().parseHex(rayJobId);
		return (b[0] & 0xff) | ((b[1] & 0xff) << 8) | ((b[2] & 0xff) << 16) | ((b[3] & 0xff) << 24);
	}

	private static String digest(String text) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(hash, 0, 28);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
