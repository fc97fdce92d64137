package io.raylane.api;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka consumer polled by its own daemon thread, for the API's background readers (the
 * read models, the dead-letter counter): start, stop with a wake-up, and the consumer's
 * client metrics — among them {@code kafka_consumer_fetch_manager_records_lag_max} —
 * bound while it runs. The body polls while {@link #running()}; a stop wakes it up.
 */
public final class ConsumerLoop {

	private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

	private final String name;

	private final Map<String, Object> config;

	private volatile KafkaConsumer<String, byte[]> consumer;

	private volatile Thread thread;

	private volatile boolean running;

	private KafkaClientMetrics clientMetrics;

	/**
	 * @param name the thread's name, also in log lines
	 * @param config the consumer's configuration (keys are strings, values bytes)
	 */
	public ConsumerLoop(String name, Map<String, Object> config) {
		this.name = name;
		this.config = Map.copyOf(config);
	}

	/**
	 * Starts polling with {@code body}; its consumer is closed when the body returns or
	 * throws.
	 */
	public void start(Consumer<KafkaConsumer<String, byte[]>> body, MeterRegistry registry) {
		this.consumer = new KafkaConsumer<>(this.config, new StringDeserializer(), new ByteArrayDeserializer());
		if (registry != null) {
			this.clientMetrics = new KafkaClientMetrics(this.consumer);
			this.clientMetrics.bindTo(registry);
		}
		this.running = true;
		this.thread = new Thread(() -> run(body), this.name);
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void run(Consumer<KafkaConsumer<String, byte[]>> body) {
		try (KafkaConsumer<String, byte[]> c = this.consumer) {
			body.accept(c);
		}
		catch (WakeupException ex) {
			if (this.running) {
				log.error("{} woken up while running", this.name, ex);
			}
		}
	}

	/** Whether the body should go on polling. */
	public boolean running() {
		return this.running;
	}

	/** Stops the body (waking up a blocked poll) and waits up to 10 s for it to end. */
	public void stop() {
		this.running = false;
		if (this.clientMetrics != null) {
			this.clientMetrics.close();
		}
		KafkaConsumer<String, byte[]> c = this.consumer;
		if (c != null) {
			c.wakeup();
		}
		try {
			if (this.thread != null) {
				this.thread.join(Duration.ofSeconds(10).toMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
