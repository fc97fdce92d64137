package io.raylane.nodeagent.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An output stream that keeps only the last bytes written (a bounded window), so a chatty
 * command cannot fill the agent's memory; {@link #tail(int)} gives its last lines.
 */
final class TailBuffer extends OutputStream {

	private final int capacity;

	private final ByteArrayOutputStream window = new ByteArrayOutputStream();

	TailBuffer(int capacity) {
		this.capacity = capacity;
	}

	@Override
	public synchronized void write(int b) {
		this.window.write(b);
		trim();
	}

	@Override
	public synchronized void write(byte[] b, int off, int len) {
		this.window.write(b, off, len);
		trim();
	}

	private void trim() {
		if (this.window.size() > 2 * this.capacity) {
			byte[] all = this.window.toByteArray();
			this.window.reset();
			this.window.write(all, all.length - this.capacity, this.capacity);
		}
	}

	/**
	 * The last {@code lines} lines (at most the buffer's capacity in bytes), without a
	 * trailing newline.
	 */
	synchronized String tail(int lines) {
		byte[] all = this.window.toByteArray();
		byte[] kept = (all.length > this.capacity) ? Arrays.copyOfRange(all, all.length - this.capacity, all.length)
				: all;
		String text = new String(kept, StandardCharsets.UTF_8).stripTrailing();
		String[] split = text.split("\n", -1);
		if (split.length <= lines) {
			return text;
		}
		return String.join("\n", Arrays.copyOfRange(split, split.length - lines, split.length));
	}

}
