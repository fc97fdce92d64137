package io.raylane.topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.Alert;
import io.raylane.topics.events.AuditEvent;
import io.raylane.topics.events.DispatchCommand;
import io.raylane.topics.events.GpuUsage;
import io.raylane.topics.events.JobCommand;
import io.raylane.topics.events.NodeCommand;
import io.raylane.topics.events.NodeEvent;
import io.raylane.topics.events.RayObservation;
import io.raylane.topics.events.SubmitResult;
import io.raylane.topics.job.JobView;
import io.raylane.topics.json.JsonSerde;
import io.raylane.topics.node.NodeView;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic catalog: every topic Raylane reads or writes, with its key, value type and
 * writers. This is the one place topic names are spelled (see docs/topics.md for the
 * record schemas).
 */
public final class Topics {

	/**
	 * Partitions of the intake and event topics; the snapshot topics use the same count.
	 */
	public static final int DEFAULT_PARTITIONS = 3;

	/**
	 * The retention of the history topics ({@code raylane.accounting},
	 * {@code raylane.audit}): kept for good, whatever the broker's default (7 days on
	 * most brokers, the all-in-one's included), because users ({@code /v1/usage}) and
	 * downstream consumers (GPU-hour reports, audits) read them from the beginning (issue
	 * 12). Neither time nor size deletes a record; an operator who archives them
	 * elsewhere may set a finite retention on the topic, which Raylane then leaves alone.
	 */
	public static final Map<String, String> KEPT_FOR_GOOD = Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1",
			TopicConfig.RETENTION_BYTES_CONFIG, "-1");

	/**
	 * How long every snapshot of {@code raylane.job-states} stays before compaction may
	 * drop it for a newer one of the same job: a consumer that reads at least once a week
	 * sees every state change, not only the latest (which compaction keeps for good).
	 */
	public static final Duration SNAPSHOT_HISTORY = Duration.ofDays(7);

	/**
	 * Name prefix of the per-user request topics ({@link #jobRequests(String)}); the
	 * user's name follows it.
	 */
	public static final String JOB_REQUESTS_PREFIX = "raylane.job-requests.";

	/**
	 * A Raylane user name that can end a topic name (Kafka's legal characters); a user
	 * whose name has others has no request topic.
	 */
	static final Pattern REQUEST_USER = Pattern.compile("[A-Za-z0-9._-]{1,200}");

	/** Every per-user request topic. */
	public static final Pattern JOB_REQUESTS_PATTERN = Pattern
		.compile(Pattern.quote(JOB_REQUESTS_PREFIX) + REQUEST_USER.pattern());

	/**
	 * Key: job id. Value: {@link JobCommand}. Writer: the api (its REST calls, and what
	 * direct producers wrote to their {@link #jobRequests(String)} topic); with ACLs on,
	 * no one else. Reader: scheduler-streams.
	 */
	public static final Topic<String, JobCommand> JOB_COMMANDS = intake("raylane.job-commands", JobCommand.class);

	/**
	 * Key: node id. Value: {@link NodeCommand}. Writer: scheduler-streams. Reader:
	 * node-agent.
	 */
	public static final Topic<String, NodeCommand> NODE_COMMANDS = intake("raylane.node-commands", NodeCommand.class);

	/**
	 * Key: node id. Value: {@link NodeEvent}. Writers: api, node-agent, observer. Reader:
	 * scheduler-streams.
	 */
	public static final Topic<String, NodeEvent> NODE_EVENTS = intake("raylane.node-events", NodeEvent.class);

	/**
	 * Key: job id. Value: {@link RayObservation}. Writer: observer. Reader:
	 * scheduler-streams.
	 */
	public static final Topic<String, RayObservation> RAY_OBSERVATIONS = intake("raylane.ray-observations",
			RayObservation.class);

	/**
	 * Key: job id. Value: {@link DispatchCommand}. Writer: scheduler-streams. Reader:
	 * submitter.
	 */
	public static final Topic<String, DispatchCommand> DISPATCH = intake("raylane.dispatch", DispatchCommand.class);

	/**
	 * Key: job id. Value: {@link SubmitResult}. Writer: submitter. Reader:
	 * scheduler-streams.
	 */
	public static final Topic<String, SubmitResult> SUBMIT_RESULTS = intake("raylane.submit-results",
			SubmitResult.class);

	/**
	 * Key: job id. Value: {@link JobView} snapshot, compacted: the latest snapshot of
	 * every job is kept for good, and every snapshot for at least
	 * {@link #SNAPSHOT_HISTORY}. Writer: scheduler-streams. Readers: api, submitter,
	 * anyone.
	 */
	public static final Topic<String, JobView> JOB_STATES = new Topic<>("raylane.job-states", Serdes.String(),
			new JsonSerde<>(JobView.class), DEFAULT_PARTITIONS, true,
			Map.of(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, String.valueOf(SNAPSHOT_HISTORY.toMillis())));

	/**
	 * Key: node id. Value: {@link NodeView} snapshot, compacted. Writer:
	 * scheduler-streams. Reader: api.
	 */
	public static final Topic<String, NodeView> NODE_STATES = snapshot("raylane.node-states", NodeView.class);

	/**
	 * Key: job id. Value: {@link GpuUsage} interval records, produced exactly once
	 * (transactions: read with {@code isolation.level=read_committed}). Writer: observer.
	 * Readers: api (usage), downstream analytics.
	 */
	public static final Topic<String, GpuUsage> ACCOUNTING = history("raylane.accounting", GpuUsage.class);

	/** Key: subject. Value: {@link Alert}. Writer: observer. Readers: ops tooling. */
	public static final Topic<String, Alert> ALERTS = intake("raylane.alerts", Alert.class);

	/**
	 * Key: user. Value: {@link AuditEvent}, kept for good. Writer: api. Readers: ops.
	 */
	public static final Topic<String, AuditEvent> AUDIT = history("raylane.audit", AuditEvent.class);

	/**
	 * Key: the original key. Value: {@link DeadLetter}. Writers: every consumer. Readers:
	 * ops.
	 */
	public static final Topic<String, DeadLetter> DEAD_LETTERS = intake("raylane.dead-letters", DeadLetter.class);

	private Topics() {
	}

	/** Every topic of the catalog, in the order above. */
	public static List<Topic<?, ?>> all() {
		return List.of(JOB_COMMANDS, NODE_COMMANDS, NODE_EVENTS, RAY_OBSERVATIONS, DISPATCH, SUBMIT_RESULTS, JOB_STATES,
				NODE_STATES, ACCOUNTING, ALERTS, AUDIT, DEAD_LETTERS);
	}

	/**
	 * Key: job id. Value: {@link JobCommand} written by a direct producer authenticated
	 * as {@code user}, who alone may write it (ACLs, docs/topics.md). Reader: the api,
	 * which takes the user from the topic's name and the acceptance time from the broker
	 * ({@code LogAppendTime}), then forwards the command to {@link #JOB_COMMANDS}. One
	 * partition: a user's requests are few.
	 * @throws IllegalArgumentException when {@code user} cannot end a topic name
	 */
	public static Topic<String, JobCommand> jobRequests(String user) {
		if (user == null || !REQUEST_USER.matcher(user).matches()) {
			throw new IllegalArgumentException("user name '" + user + "' cannot name a Kafka topic (letters, digits, "
					+ "'.', '_' and '-' only, at most 200)");
		}
		return new Topic<>(JOB_REQUESTS_PREFIX + user, Serdes.String(), new JsonSerde<>(JobCommand.class), 1, false,
				Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
	}

	/**
	 * The user whose request topic {@code topic} is, or null when it is not one.
	 */
	public static String requestUser(String topic) {
		return (topic != null && JOB_REQUESTS_PATTERN.matcher(topic).matches())
				? topic.substring(JOB_REQUESTS_PREFIX.length()) : null;
	}

	private static <V> Topic<String, V> history(String name, Class<V> type) {
		return new Topic<>(name, Serdes.String(), new JsonSerde<>(type), DEFAULT_PARTITIONS, false, KEPT_FOR_GOOD);
	}

	private static <V> Topic<String, V> intake(String name, Class<V> type) {
		return new Topic<>(name, Serdes.String(), new JsonSerde<>(type), DEFAULT_PARTITIONS, false);
	}

	private static <V> Topic<String, V> snapshot(String name, Class<V> type) {
		return new Topic<>(name, Serdes.String(), new JsonSerde<>(type), DEFAULT_PARTITIONS, true);
	}

}
