package io.raylane.observer;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.raylane.observer.accounting.AccountingLedger;
import io.raylane.observer.attribution.Attribution;
import io.raylane.observer.attribution.DispatchedJobs;
import io.raylane.observer.alerts.IdleGpuDetector;
import io.raylane.observer.alerts.IdleWatch;
import io.raylane.observer.gpu.NodeMetricsScraper;
import io.raylane.observer.lost.HeldJobs;
import io.raylane.observer.lost.LostJobWatch;
import io.raylane.observer.metrics.ObserverMetrics;
import io.raylane.observer.observe.JobReadings;
import io.raylane.observer.observe.PollSchedule;
import io.raylane.observer.placement.PlacementPolling;
import io.raylane.observer.observe.RayPoller;
import io.raylane.observer.observe.UsageCycle;
import io.raylane.observer.publish.StateRestorer;
import io.raylane.observer.publish.StateRestorer.RestoredState;
import io.raylane.observer.publish.TransactionalBatchPublisher;
import io.raylane.observer.ray.HttpRayStateClient;
import io.raylane.rayclient.RayHttp;
import io.raylane.observer.ray.RayStateClient;
import io.raylane.support.RaylaneSettings;
import io.raylane.support.kafka.TopicsAtStartup;
import io.raylane.support.kafka.TopicsAtStartupConfiguration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.client.RestClient;

/**
 * Wires the observer: Ray's HTTP client, the transactional publisher (initialised first,
 * which fences a crashed predecessor), the state restored from {@code raylane.accounting}
 * and {@code raylane.alerts}, the usage cycle (ledger, GPU scraping, idle alerts,
 * metrics), the poller and its schedule, which starts only after all of that. The clock,
 * the common settings and the topics come from service-support.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ObserverProperties.class)
@Import(TopicsAtStartupConfiguration.class)
class ObserverConfiguration {

	private static final Logger log = LoggerFactory.getLogger(ObserverConfiguration.class);

	@Bean
	RayStateClient rayStateClient(ObjectProvider<RestClient.Builder> builders, RaylaneSettings settings,
			ObserverProperties properties) {
		return new HttpRayStateClient(
				RayHttp.restClient(builders.getIfAvailable(RestClient::builder), settings.ray().address(),
						settings.ray().resolvedAuthToken(), properties.connectTimeout(), properties.readTimeout()));
	}

	/**
	 * initTransactions() first: it fences a crashed predecessor and aborts its open
	 * transaction.
	 */
	@Bean(destroyMethod = "close")
	TransactionalBatchPublisher batchPublisher(KafkaProperties kafka, ObserverProperties properties,
			TopicsAtStartup topicsAtStartup) {
		TransactionalBatchPublisher publisher = new TransactionalBatchPublisher(
				() -> new KafkaProducer<>(TransactionalBatchPublisher.producerConfig(kafka.buildProducerProperties(),
						properties.transactionalId())));
		publisher.initTransactions();
		return publisher;
	}

	/**
	 * Then the committed state: read_committed, so the predecessor's aborted records do
	 * not count.
	 */
	@Bean
	RestoredState restoredState(TransactionalBatchPublisher publisher, KafkaProperties kafka,
			ObserverProperties properties) {
		return StateRestorer.restore(kafka.buildConsumerProperties(), properties.publishTimeout().multipliedBy(3));
	}

	@Bean
	ObserverMetrics observerMetrics(MeterRegistry registry, Clock clock) {
		return new ObserverMetrics(registry, clock);
	}

	/**
	 * The scraper reads the port every node-agent-provisioned node exports metrics on
	 * ({@code raylane.ray.metrics-port}, shared with the node-agent's
	 * {@code ray start --metrics-export-port}).
	 */
	@Bean
	UsageCycle usageCycle(RestoredState restored, ObserverProperties properties, ObserverMetrics metrics,
			RaylaneSettings settings) {
		int metricsPort = settings.ray().metricsPort();
		log.info("scraping GPU metrics from http://<node ip>:{}/metrics (raylane.ray.metrics-port)", metricsPort);
		NodeMetricsScraper scraper = new NodeMetricsScraper(metricsPort, properties.scrapeTimeout(),
				metrics::scrapeError);
		// the alerts still active before this start are active again (until resolved or
		// expired)
		metrics.restoredAlerts(restored.latestAlerts());
		return new UsageCycle(new AccountingLedger(properties.accountingInterval(), restored.positions()),
				new IdleWatch(new IdleGpuDetector(properties.idleGpuThreshold(), properties.idleGpuWindow()),
						restored.idleEpisodes()),
				scraper, metrics);
	}

	/**
	 * The jobs Raylane dispatched (issue 12: only they may be spoken for by a Ray job),
	 * kept by {@link HeldJobs} from {@code raylane.job-states}.
	 */
	@Bean
	DispatchedJobs dispatchedJobs(ObserverProperties properties) {
		return new DispatchedJobs(properties.endedJobMemory());
	}

	/**
	 * What Raylane holds on Ray and what it dispatched, from {@code raylane.job-states};
	 * read on the poll thread, up to date before each poll asks Ray.
	 */
	@Bean(destroyMethod = "close")
	HeldJobs heldJobs(KafkaProperties kafka, TopicsAtStartup topicsAtStartup, DispatchedJobs dispatchedJobs,
			Clock clock) {
		return new HeldJobs(HeldJobs.consumers(kafka.buildConsumerProperties()), dispatchedJobs, clock);
	}

	@Bean
	RayPoller rayPoller(RayStateClient rayStateClient, TransactionalBatchPublisher publisher,
			ObserverProperties properties, Clock clock, UsageCycle usageCycle, ObserverMetrics metrics,
			HeldJobs heldJobs, DispatchedJobs dispatchedJobs) {
		log.info("a job Ray's job list leaves out for {} is reported lost (raylane.observer.lost-job-grace)",
				properties.lostJobGrace());
		Attribution attribution = new Attribution(dispatchedJobs::get,
				(verdict, job) -> metrics.ignoredRayJob(verdict.reason()));
		return new RayPoller(rayStateClient, publisher, clock, attribution,
				new JobReadings(rayStateClient::logTail, properties.progressInterval(),
						new JobReadings.Tail(properties.progressLogLines(), properties.failureLogLines(),
								properties.logTailChars())),
				usageCycle, metrics, new LostJobWatch(heldJobs, properties.lostJobGrace(), properties.pollInterval()),
				new PlacementPolling(rayStateClient, properties.placementInterval()));
	}

	/**
	 * Starts with the context's lifecycle, i.e. after the publisher is initialised and
	 * the state restored.
	 */
	@Bean
	PollSchedule pollSchedule(RayPoller rayPoller, TransactionalBatchPublisher publisher,
			ObserverProperties properties) {
		return new PollSchedule(() -> {
			if (!publisher.fenced()) {
				rayPoller.pollOnce();
			}
		}, properties.pollInterval());
	}

	/** DOWN once another observer fenced this one. */
	@Bean
	HealthIndicator observerPublishing(TransactionalBatchPublisher publisher) {
		return () -> publisher.fenced() ? Health.down()
			.withDetail("reason", "another observer with the same transactional id took over")
			.build() : Health.up().build();
	}

}
