package io.raylane.api.code;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * A request body read no further than its limit: past it, reading throws the given
 * exception (a 413), so a body without a Content-Length is bounded too.
 */
final class LimitedInputStream extends FilterInputStream {

	private final long limit;

	private final Supplier<? extends RuntimeException> tooLarge;

	private long read;

	LimitedInputStream(InputStream in, long limit, Supplier<? extends RuntimeException> tooLarge) {
		super(in);
		this.limit = limit;
		this.tooLarge = tooLarge;
	}

	@Override
	public int read() throws IOException {
		int b = super.read();
		if (b != -1) {
			count(1);
		}
		return b;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		int n = super.read(buffer, offset, length);
		if (n > 0) {
			count(n);
		}
		return n;
	}

	@Override
	public long skip(long n) throws IOException {
		long skipped = super.skip(n);
		count(skipped);
		return skipped;
	}

	private void count(long n) {
		this.read += n;
		if (this.read > this.limit) {
			throw this.tooLarge.get();
		}
	}

}
