package io.raylane.nodeagent.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.common.config.keys.PublicKeyEntry;

/** OpenSSH key files made with ssh-keygen, as an operator would make them. */
public final class TestKeys {

	private TestKeys() {
	}

	/**
	 * Writes {@code file} (private, OpenSSH format, no passphrase) and {@code file.pub}.
	 */
	public static Path generate(Path file, String type) throws IOException, InterruptedException {
		Process process = new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "raylane-test", "-f",
				file.toString())
			.redirectErrorStream(true)
			.start();
		if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IOException("ssh-keygen failed: " + new String(process.getInputStream().readAllBytes()));
		}
		return file;
	}

	public static PublicKey publicKey(Path privateKeyFile) throws IOException, GeneralSecurityException {
		String line = Files.readString(Path.of(privateKeyFile + ".pub")).trim();
		return PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, null, null);
	}

}
