package io.raylane.scheduler;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import io.raylane.scheduler.topology.SchedulerTopology;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the compacted internal topic {@code <application.id>-usage} that feeds the
 * global usage store. Streams creates its changelog and repartition topics itself, but
 * not the source topic of a global store.
 */
final class UsageTopic {

	private UsageTopic() {
	}

	static void ensure(String bootstrap, String applicationId, short replicationFactor)
			throws InterruptedException, ExecutionException {
		Properties props = new Properties();
		props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		try (Admin admin = Admin.create(props)) {
			NewTopic topic = new NewTopic(SchedulerTopology.usageTopic(applicationId), 1, replicationFactor)
				.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
			try {
				admin.createTopics(List.of(topic)).all().get();
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof TopicExistsException)) {
					throw ex;
				}
			}
		}
	}

}
