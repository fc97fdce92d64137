package io.raylane.topics;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * How Raylane creates its topics (issue 12): replicas and {@code min.insync.replicas}
 * from the policy on every topic, history kept for good, and only inherited configs
 * adopted on an existing topic.
 */
class TopicCreatorTest {

	@Test
	void shouldCreateEveryCatalogTopicWithThePolicysReplicasAndMinInsyncReplicas() {
		for (Topic<?, ?> topic : Topics.all()) {
			NewTopic created = TopicCreator.newTopic(topic, TopicPolicy.PRODUCTION);

			assertThat(created.replicationFactor()).as(topic.name()).isEqualTo((short) 3);
			assertThat(created.numPartitions()).as(topic.name()).isEqualTo(topic.partitions());
			assertThat(created.configs()).as(topic.name()).containsEntry("min.insync.replicas", "2");
		}
	}

	@Test
	void shouldKeepTheHistoryTopicsForGoodAndEveryJobStateForAWeekAtLeast() {
		for (Topic<?, ?> history : List.of(Topics.ACCOUNTING, Topics.AUDIT)) {
			assertThat(TopicCreator.newTopic(history, TopicPolicy.SINGLE_BROKER).configs()).as(history.name())
				.containsEntry("retention.ms", "-1")
				.containsEntry("retention.bytes", "-1")
				.doesNotContainKey("cleanup.policy");
		}
		assertThat(TopicCreator.newTopic(Topics.JOB_STATES, TopicPolicy.SINGLE_BROKER).configs())
			.containsEntry("cleanup.policy", "compact")
			.containsEntry("min.compaction.lag.ms", String.valueOf(7L * 24 * 3600 * 1000))
			.containsEntry("min.insync.replicas", "1");
		assertThat(TopicCreator.newTopic(Topics.JOB_COMMANDS, TopicPolicy.SINGLE_BROKER).configs())
			.containsOnlyKeys("min.insync.replicas");
	}

	@Test
	void shouldAdoptOnlyTheConfigsAnExistingTopicInheritsFromTheBroker() {
		Config inherited = new Config(List.of(
				new ConfigEntry("retention.ms", "604800000", ConfigEntry.ConfigSource.DEFAULT_CONFIG, false, false,
						List.of(), ConfigEntry.ConfigType.LONG, null),
				new ConfigEntry("retention.bytes", "1073741824", ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG, false,
						false, List.of(), ConfigEntry.ConfigType.LONG, null)));
		Config operatorsChoice = new Config(
				List.of(new ConfigEntry("retention.ms", "31536000000", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG,
						false, false, List.of(), ConfigEntry.ConfigType.LONG, null)));

		assertThat(TopicCreator.missingConfigs(Topics.ACCOUNTING, inherited))
			.extracting((op) -> op.configEntry().name() + "=" + op.configEntry().value())
			.containsExactlyInAnyOrder("retention.ms=-1", "retention.bytes=-1");
		assertThat(TopicCreator.missingConfigs(Topics.ACCOUNTING, operatorsChoice))
			.extracting((op) -> op.configEntry().name())
			.containsExactly("retention.bytes");
		assertThat(TopicCreator.missingConfigs(Topics.ACCOUNTING, operatorsChoice))
			.allSatisfy((op) -> assertThat(op.opType()).isEqualTo(AlterConfigOp.OpType.SET));
		assertThat(TopicCreator.missingConfigs(Topics.DISPATCH, inherited)).isEmpty();
	}

	@Test
	void shouldDeriveMinInsyncReplicasAndRefuseOnesNoWriteCouldMeet() {
		assertThat(TopicPolicy.of((short) 3)).isEqualTo(TopicPolicy.PRODUCTION);
		assertThat(TopicPolicy.of((short) 1)).isEqualTo(TopicPolicy.SINGLE_BROKER);
		assertThat(TopicPolicy.of((short) 2).minInsyncReplicas()).isEqualTo((short) 1);
		assertThat(TopicPolicy.of((short) 5).minInsyncReplicas()).isEqualTo((short) 2);
		assertThatIllegalArgumentException().isThrownBy(() -> new TopicPolicy((short) 1, (short) 2))
			.withMessageContaining("raylane.kafka.min-insync-replicas");
		assertThatIllegalArgumentException().isThrownBy(() -> new TopicPolicy((short) 0, (short) 0))
			.withMessageContaining("raylane.kafka.replication-factor");
	}

	@Test
	void shouldNameOnePerUserRequestTopicStampedByTheBroker() {
		Topic<String, ?> alice = Topics.jobRequests("alice");

		assertThat(alice.name()).isEqualTo("raylane.job-requests.alice");
		assertThat(alice.partitions()).isEqualTo(1);
		assertThat(alice.configs()).isEqualTo(Map.of("message.timestamp.type", "LogAppendTime"));
		assertThat(Topics.requestUser("raylane.job-requests.alice")).isEqualTo("alice");
		assertThat(Topics.requestUser("raylane.job-requests.a.b-c_d")).isEqualTo("a.b-c_d");
		assertThat(Topics.requestUser("raylane.job-commands")).isNull();
		assertThat(Topics.requestUser("raylane.job-requests.")).isNull();
		assertThat(Topics.requestUser("raylane.job-requests.al ice")).isNull();
		assertThatIllegalArgumentException().isThrownBy(() -> Topics.jobRequests("al/ice"));
		assertThat(Topics.all()).extracting(Topic::name).noneMatch((n) -> n.startsWith(Topics.JOB_REQUESTS_PREFIX));
	}

}
