package io.raylane.scheduler.topology;

import io.raylane.topics.events.DispatchCommand;
import io.raylane.topics.job.JobView;

/**
 * The bytes of the JobViews and dispatch records this thread encoded last, so that one
 * record is encoded once however many times the topology needs its bytes (issue 17 goal
 * 4). A JobView was encoded for the job's row in the job table, again by the
 * {@link RecordSizeGuard} to measure it, and again by the sink that sends it; a
 * SubmitToRay by the guard before the dispatch, by the guard before forwarding, and by
 * the sink. Now the first encoding is kept, by the record's identity, and the others
 * reuse it.
 * <p>
 * Safe because these records are immutable values (a changed view is a new instance), the
 * memo holds each record it names (an identity cannot be reused while it is held), and
 * the bytes are those of the topic's own serializer for the record
 * ({@link SchedulerJson}, {@code SchedulerJsonTest}). Per thread: a record is encoded and
 * sent by the stream thread that handles its input, within the same record's handling;
 * the memo keeps the last {@value #SIZE} records, more than one input produces.
 */
final class RecordBytes {

	static final int SIZE = 64;

	private static final ThreadLocal<RecordBytes> MINE = ThreadLocal.withInitial(RecordBytes::new);

	private final Object[] records = new Object[SIZE];

	private final byte[][] bytes = new byte[SIZE][];

	private int next;

	private RecordBytes() {
	}

	/**
	 * Whether the bytes of {@code value} are kept here: the records whose topic carries a
	 * JobSpec.
	 */
	static boolean kept(Object value) {
		return value instanceof JobView || value instanceof DispatchCommand;
	}

	/**
	 * The bytes of {@code value} (a {@link #kept} record), as its topic's serializer
	 * writes them: encoded once, then reused.
	 */
	static byte[] of(Object value) {
		RecordBytes memo = MINE.get();
		byte[] known = memo.find(value);
		if (known != null) {
			return known;
		}
		byte[] encoded = SchedulerJson.write(value);
		memo.keep(value, encoded);
		return encoded;
	}

	private byte[] find(Object value) {
		// newest first: a record's bytes are asked for soon after it was encoded
		for (int i = 1; i <= SIZE; i++) {
			int slot = Math.floorMod(this.next - i, SIZE);
			if (this.records[slot] == value) {
				return this.bytes[slot];
			}
		}
		return null;
	}

	private void keep(Object value, byte[] encoded) {
		this.records[this.next] = value;
		this.bytes[this.next] = encoded;
		this.next = (this.next + 1) % SIZE;
	}

}
