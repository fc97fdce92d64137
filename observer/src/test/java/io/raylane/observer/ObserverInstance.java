package io.raylane.observer;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raylane.observer.accounting.AccountingLedger;
import io.raylane.observer.alerts.IdleGpuDetector;
import io.raylane.observer.alerts.IdleWatch;
import io.raylane.observer.gpu.NodeMetricsScraper;
import io.raylane.observer.metrics.ObserverMetrics;
import io.raylane.observer.observe.RayPoller;
import io.raylane.observer.observe.UsageCycle;
import io.raylane.observer.publish.StateRestorer;
import io.raylane.observer.publish.TransactionalBatchPublisher;
import io.raylane.observer.ray.HttpRayStateClient;
import io.raylane.rayclient.RayHttp;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

import org.springframework.web.client.RestClient;

/**
 * One observer built as {@code ObserverConfiguration} builds it, in the same order
 * (initTransactions, restore, then polls), with a hand-moved clock and polls driven by
 * the test: period 1 minute, idle window 3 minutes, threshold 5 %.
 */
final class ObserverInstance implements AutoCloseable {

	static final Duration PERIOD = Duration.ofMinutes(1);

	static final Duration WINDOW = Duration.ofMinutes(3);

	final TransactionalBatchPublisher publisher;

	final StateRestorer.RestoredState restored;

	final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	final RayPoller poller;

	ObserverInstance(String bootstrap, String transactionalId, String rayAddress, Clock clock, Integer metricsPort) {
		this(bootstrap, rayAddress, clock, metricsPort,
				() -> new KafkaProducer<>(producerConfig(bootstrap, transactionalId)));
	}

	ObserverInstance(String bootstrap, String rayAddress, Clock clock, Integer metricsPort,
			Supplier<Producer<String, byte[]>> producers) {
		this.publisher = new TransactionalBatchPublisher(producers);
		this.publisher.initTransactions();
		this.restored = StateRestorer.restore(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
				Duration.ofSeconds(30));
		ObserverMetrics metrics = new ObserverMetrics(this.registry, clock);
		// as ObserverConfiguration does
		metrics.restoredAlerts(this.restored.latestAlerts());
		NodeMetricsScraper scraper = (metricsPort != null)
				? new NodeMetricsScraper(metricsPort, Duration.ofSeconds(1), metrics::scrapeError) : null;
		UsageCycle usage = new UsageCycle(new AccountingLedger(PERIOD, this.restored.positions()),
				new IdleWatch(new IdleGpuDetector(5, WINDOW), this.restored.idleEpisodes()), scraper, metrics);
		this.poller = new RayPoller(
				new HttpRayStateClient(RayHttp.restClient(RestClient.builder(), rayAddress, Duration.ofSeconds(2),
						Duration.ofSeconds(5))),
				this.publisher, clock, Attributions.everyClaim("alice", "default"), null, usage, metrics);
	}

	static Map<String, Object> producerConfig(String bootstrap, String transactionalId) {
		return TransactionalBatchPublisher
			.producerConfig(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap), transactionalId);
	}

	@Override
	public void close() {
		this.publisher.close();
	}

}
