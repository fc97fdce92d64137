package io.raylane.scheduler;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import io.raylane.scheduler.topology.SchedulerTopology;
import io.raylane.topics.Topic;
import io.raylane.topics.TopicCreator;
import io.raylane.topics.TopicPolicy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Creates the compacted internal topic {@code <application.id>-usage} that feeds the
 * global usage store, with the same replicas and min ISR as every other topic. Streams
 * creates its changelog and repartition topics itself, but not the source topic of a
 * global store.
 */
final class UsageTopic {

	private UsageTopic() {
	}

	static void ensure(Map<String, Object> adminConfig, String applicationId, TopicPolicy policy)
			throws InterruptedException, ExecutionException, TimeoutException {
		Topic<String, byte[]> topic = new Topic<>(SchedulerTopology.usageTopic(applicationId), Serdes.String(),
				Serdes.ByteArray(), 1, true);
		try (Admin admin = Admin.create(adminConfig)) {
			TopicCreator.ensure(admin, List.of(topic), policy);
		}
	}

	/** On a single-broker, unsecured cluster (tests). */
	static void ensure(String bootstrap, String applicationId, short replicationFactor)
			throws InterruptedException, ExecutionException, TimeoutException {
		ensure(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), applicationId,
				TopicPolicy.of(replicationFactor));
	}

}
