package io.raylane.scheduler.topology;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the scheduler does when the broker refuses one of its records (the
 * {@code production.exception.handler} of its Streams). Under exactly-once a refused send
 * aborts the whole transaction whatever this handler answers (the producer turns to an
 * abortable error; a {@code CONTINUE} drops the record but the commit then fails), so
 * this handler cannot end the job itself. It teaches the {@link RecordSizeGuard} the size
 * the topic refused and answers {@code FAIL}: the stream thread is replaced, the task
 * restarts from its last commit, and on the replay the guard stops the record before it
 * is sent and ends that one job with the reason (issue 12). Any other send failure is
 * failed too, as Kafka Streams' default does.
 * <p>
 * A record that cannot even be serialized never reaches the producer, so it does not doom
 * the transaction: it is dropped ({@code CONTINUE}) and logged. The records that carry a
 * JobSpec are serialized by the guard first, which ends their job instead.
 * <p>
 * Streams creates the handler per task from its configuration; the guard and the failure
 * listener are handed over as objects under {@link #GUARD} and {@link #LISTENER}.
 */
public final class RecordRefusedHandler implements ProductionExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(RecordRefusedHandler.class);

	/** The configuration key of the shared {@link RecordSizeGuard}. */
	public static final String GUARD = "raylane.scheduler.record-size-guard";

	/** The configuration key of a {@link Runnable} told of every send failure. */
	public static final String LISTENER = "raylane.scheduler.send-failure-listener";

	private RecordSizeGuard guard;

	private Runnable listener = () -> {
	};

	@Override
	public void configure(Map<String, ?> configs) {
		if (configs.get(GUARD) instanceof RecordSizeGuard configured) {
			this.guard = configured;
		}
		if (configs.get(LISTENER) instanceof Runnable configured) {
			this.listener = configured;
		}
	}

	@Override
	public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
			Exception exception) {
		this.listener.run();
		if (exception instanceof RecordTooLargeException && this.guard != null) {
			this.guard.refused(record.topic(), size(record));
		}
		log.error(
				"the broker refused a record of {} bytes on {} (input {}-{}@{}): {}; the task restarts from its"
						+ " last commit",
				size(record), record.topic(), context.topic(), context.partition(), context.offset(),
				exception.toString());
		return ProductionExceptionHandlerResponse.FAIL;
	}

	@Override
	public ProductionExceptionHandlerResponse handleSerializationException(ErrorHandlerContext context,
			@SuppressWarnings("rawtypes") ProducerRecord record, Exception exception,
			SerializationExceptionOrigin origin) {
		log.error("dropped a record for {} that cannot be serialized (input {}-{}@{}): {}", record.topic(),
				context.topic(), context.partition(), context.offset(), exception.toString());
		return ProductionExceptionHandlerResponse.CONTINUE;
	}

	static int size(ProducerRecord<byte[], byte[]> record) {
		return ((record.key() != null) ? record.key().length : 0)
				+ ((record.value() != null) ? record.value().length : 0);
	}

}
