package io.raylane.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the catalog's topics at start-up, idempotently: existing topics are left as
 * they are, so every service may call it and a restart changes nothing.
 */
public final class TopicCreator {

	private TopicCreator() {
	}

	/**
	 * Creates every missing topic on the cluster at {@code bootstrapServers}, with a
	 * short-lived admin client.
	 */
	public static List<String> ensureTopics(String bootstrapServers, short replicationFactor)
			throws InterruptedException, ExecutionException, TimeoutException {
		try (Admin admin = Admin.create(
				Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
			return ensureTopics(admin, replicationFactor);
		}
	}

	/**
	 * Creates every missing topic of {@link Topics#all()}.
	 * @param admin an admin client for the cluster
	 * @param replicationFactor replication factor for new topics (1 on a single broker)
	 * @return names of the topics this call created
	 */
	public static List<String> ensureTopics(Admin admin, short replicationFactor)
			throws InterruptedException, ExecutionException, TimeoutException {
		Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
		List<NewTopic> missing = new ArrayList<>();
		for (Topic<?, ?> topic : Topics.all()) {
			if (!existing.contains(topic.name())) {
				missing.add(newTopic(topic, replicationFactor));
			}
		}
		List<String> created = new ArrayList<>();
		for (NewTopic topic : missing) {
			try {
				admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
				created.add(topic.name());
			}
			catch (ExecutionException ex) {
				// another service created it between our list and our create: that is the
				// idempotent case
				if (!(ex.getCause() instanceof TopicExistsException)) {
					throw ex;
				}
			}
		}
		return created;
	}

	static NewTopic newTopic(Topic<?, ?> topic, short replicationFactor) {
		NewTopic newTopic = new NewTopic(topic.name(), topic.partitions(), replicationFactor);
		if (topic.compacted()) {
			newTopic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
		}
		return newTopic;
	}

}
