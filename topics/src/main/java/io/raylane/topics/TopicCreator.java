package io.raylane.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the catalog's topics at start-up, idempotently, with the {@link TopicPolicy}'s
 * replication factor and {@code min.insync.replicas}, so every service may call it and a
 * restart changes nothing. An existing topic keeps its partitions and replicas; of the
 * configs the catalog sets ({@link Topic#configs()}, e.g. the history topics' retention)
 * it gets those it only inherits from the broker's defaults, so an installation created
 * before a policy existed follows it, while a value an operator set on the topic stays.
 */
public final class TopicCreator {

	private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);

	private static final long TIMEOUT_SECONDS = 30;

	private TopicCreator() {
	}

	/**
	 * Creates every missing topic of the catalog with a short-lived admin client.
	 * @param adminConfig the admin client's configuration: bootstrap servers and, on a
	 * secured cluster, its security settings (a service passes Spring's
	 * {@code buildAdminProperties()})
	 */
	public static List<String> ensureTopics(Map<String, Object> adminConfig, TopicPolicy policy)
			throws InterruptedException, ExecutionException, TimeoutException {
		try (Admin admin = Admin.create(adminConfig)) {
			return ensureTopics(admin, policy);
		}
	}

	/**
	 * Creates every missing topic on the single-broker, unsecured cluster at
	 * {@code bootstrapServers} with {@code replicationFactor} (tests, tools).
	 */
	public static List<String> ensureTopics(String bootstrapServers, short replicationFactor)
			throws InterruptedException, ExecutionException, TimeoutException {
		return ensureTopics(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
				TopicPolicy.of(replicationFactor));
	}

	/** As {@link #ensureTopics(Admin, TopicPolicy)}, with the default min ISR. */
	public static List<String> ensureTopics(Admin admin, short replicationFactor)
			throws InterruptedException, ExecutionException, TimeoutException {
		return ensureTopics(admin, TopicPolicy.of(replicationFactor));
	}

	/**
	 * Creates every missing topic of {@link Topics#all()}.
	 * @return names of the topics this call created
	 */
	public static List<String> ensureTopics(Admin admin, TopicPolicy policy)
			throws InterruptedException, ExecutionException, TimeoutException {
		return ensure(admin, Topics.all(), policy);
	}

	/**
	 * Creates every missing topic of {@code topics} (the catalog, or per-user request
	 * topics), then gives existing ones the catalog configs they only inherit.
	 * @return names of the topics this call created
	 */
	public static List<String> ensure(Admin admin, Collection<Topic<?, ?>> topics, TopicPolicy policy)
			throws InterruptedException, ExecutionException, TimeoutException {
		Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		List<String> created = new ArrayList<>();
		List<Topic<?, ?>> present = new ArrayList<>();
		for (Topic<?, ?> topic : topics) {
			if (existing.contains(topic.name())) {
				present.add(topic);
			}
			else if (create(admin, newTopic(topic, policy))) {
				created.add(topic.name());
			}
		}
		if (!present.isEmpty()) {
			adoptConfigs(admin, present);
			warnOnFewerReplicas(admin, present, policy);
		}
		awaitLeaders(admin, created);
		return created;
	}

	/**
	 * On a cluster of several brokers a topic the controller created reaches the other
	 * brokers' metadata a moment later; a client that asks one of them in that moment
	 * (Kafka Streams initialising a global store fails at once) finds no partitions.
	 * Returns once every new partition has a leader, as the cluster tells it.
	 */
	private static void awaitLeaders(Admin admin, List<String> created)
			throws InterruptedException, ExecutionException, TimeoutException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
		while (!created.isEmpty()) {
			try {
				boolean led = admin.describeTopics(created)
					.allTopicNames()
					.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
					.values()
					.stream()
					.flatMap((d) -> d.partitions().stream())
					.allMatch((p) -> p.leader() != null && !p.leader().isEmpty());
				if (led) {
					return;
				}
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
					throw ex;
				}
			}
			if (System.nanoTime() > deadline) {
				throw new TimeoutException("topics " + created + " have no leaders after " + TIMEOUT_SECONDS + " s");
			}
			Thread.sleep(100);
		}
	}

	private static boolean create(Admin admin, NewTopic topic)
			throws InterruptedException, ExecutionException, TimeoutException {
		try {
			admin.createTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			return true;
		}
		catch (ExecutionException ex) {
			// another service created it between our list and our create: that is the
			// idempotent case
			if (ex.getCause() instanceof TopicExistsException) {
				return false;
			}
			if (ex.getCause() instanceof InvalidReplicationFactorException) {
				throw new IllegalStateException(
						"cannot create " + topic.name() + " with " + topic.replicationFactor() + " replicas ("
								+ ex.getCause().getMessage() + "): on a single-broker development cluster set "
								+ "RAYLANE_KAFKA_REPLICATION_FACTOR=1 (raylane.kafka.replication-factor)",
						ex.getCause());
			}
			throw ex;
		}
	}

	/** The topic as Raylane creates it under {@code policy}. */
	static NewTopic newTopic(Topic<?, ?> topic, TopicPolicy policy) {
		Map<String, String> configs = new LinkedHashMap<>(topic.configs());
		configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(policy.minInsyncReplicas()));
		if (topic.compacted()) {
			configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
		}
		return new NewTopic(topic.name(), topic.partitions(), policy.replicationFactor()).configs(configs);
	}

	/**
	 * The catalog configs an existing topic only inherits (from the broker's defaults):
	 * set on the topic. One an operator set on the topic itself is theirs.
	 */
	private static void adoptConfigs(Admin admin, List<Topic<?, ?>> present)
			throws InterruptedException, ExecutionException, TimeoutException {
		Map<ConfigResource, Topic<?, ?>> resources = new LinkedHashMap<>();
		for (Topic<?, ?> topic : present) {
			if (!topic.configs().isEmpty()) {
				resources.put(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()), topic);
			}
		}
		if (resources.isEmpty()) {
			return;
		}
		Map<ConfigResource, Config> current = admin.describeConfigs(resources.keySet())
			.all()
			.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
		resources.forEach((resource, topic) -> {
			List<AlterConfigOp> ops = missingConfigs(topic, current.get(resource));
			if (!ops.isEmpty()) {
				changes.put(resource, ops);
				log.info("topic {}: setting {} (inherited from the broker's defaults until now)", topic.name(),
						ops.stream().map((op) -> op.configEntry().name() + "=" + op.configEntry().value()).toList());
			}
		});
		if (!changes.isEmpty()) {
			admin.incrementalAlterConfigs(changes).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
	}

	/**
	 * The catalog's configs of {@code topic} that {@code current} does not set itself.
	 */
	static List<AlterConfigOp> missingConfigs(Topic<?, ?> topic, Config current) {
		List<AlterConfigOp> ops = new ArrayList<>();
		topic.configs().forEach((name, value) -> {
			ConfigEntry entry = (current != null) ? current.get(name) : null;
			boolean setOnTopic = entry != null && entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG;
			if (!setOnTopic) {
				ops.add(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET));
			}
		});
		return ops;
	}

	/**
	 * Replicas cannot be added by a config change (that is a partition reassignment): an
	 * existing topic with fewer than the policy asks for is only reported.
	 */
	private static void warnOnFewerReplicas(Admin admin, List<Topic<?, ?>> present, TopicPolicy policy)
			throws InterruptedException, ExecutionException, TimeoutException {
		Map<String, TopicDescription> descriptions = admin.describeTopics(present.stream().map(Topic::name).toList())
			.allTopicNames()
			.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		descriptions.values().forEach((description) -> {
			int replicas = description.partitions()
				.stream()
				.mapToInt((p) -> p.replicas().size())
				.min()
				.orElse(policy.replicationFactor());
			if (replicas < policy.replicationFactor()) {
				log.warn(
						"topic {} has {} replicas where raylane.kafka.replication-factor asks for {}: reassign its "
								+ "partitions (kafka-reassign-partitions.sh) to make it as durable",
						description.name(), replicas, policy.replicationFactor());
			}
		});
	}

}
