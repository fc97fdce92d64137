package io.raylane.scheduler.topology;

import java.nio.charset.StandardCharsets;

import io.raylane.topics.json.JsonSerde;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The job table's serde: the same bytes as {@code JsonSerde<JobEntry>} (the table's
 * format, in RocksDB and in its changelog, is unchanged), but a row's JobView is written
 * from {@link RecordBytes}, so the view the row holds and the view published on
 * {@code raylane.job-states} are encoded once between them (issue 17 goal 4). A row is
 * {@code {"view":<the JobView>,<the other fields>}}: {@code view} is the record's first
 * component, and Jackson writes a record's components in order ({@code JobRowSerdeTest}
 * compares with {@code JsonSerde<JobEntry>}). Reading is {@code JsonSerde}'s.
 */
final class JobRowSerde implements Serde<JobEntry>, Serializer<JobEntry> {

	private static final byte[] VIEW = "{\"view\":".getBytes(StandardCharsets.UTF_8);

	private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

	private final JsonSerde<JobEntry> json = new JsonSerde<>(JobEntry.class);

	@Override
	public byte[] serialize(String topic, JobEntry entry) {
		if (entry == null) {
			return null;
		}
		if (entry.view() == null) {
			return SchedulerJson.write(entry);
		}
		byte[] view = RecordBytes.of(entry.view());
		// the other fields as Jackson writes them: "{}" or "{...}"
		boolean viewOnly = entry.stopRequestedBy() == null && entry.timer() == null && entry.timedOutAt() == null
				&& entry.resubmit() == null;
		byte[] rest = viewOnly ? EMPTY : SchedulerJson.write(entry.withView(null));
		int restFields = rest.length - 2;
		byte[] row = new byte[VIEW.length + view.length + ((restFields > 0) ? restFields + 1 : 0) + 1];
		System.arraycopy(VIEW, 0, row, 0, VIEW.length);
		System.arraycopy(view, 0, row, VIEW.length, view.length);
		int at = VIEW.length + view.length;
		if (restFields > 0) {
			row[at++] = ',';
			System.arraycopy(rest, 1, row, at, restFields);
			at += restFields;
		}
		row[at] = '}';
		return row;
	}

	@Override
	public Serializer<JobEntry> serializer() {
		return this;
	}

	@Override
	public Deserializer<JobEntry> deserializer() {
		return this.json;
	}

	@Override
	public void configure(java.util.Map<String, ?> configs, boolean isKey) {
	}

	@Override
	public void close() {
	}

}
