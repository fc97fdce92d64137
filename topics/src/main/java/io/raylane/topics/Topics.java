package io.raylane.topics;

import java.util.List;

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
	 * Key: job id. Value: {@link JobCommand}. Writers: api, any producer. Reader:
	 * scheduler-streams.
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
	 * Key: job id. Value: {@link JobView} snapshot, compacted. Writer: scheduler-streams.
	 * Readers: api, submitter, anyone.
	 */
	public static final Topic<String, JobView> JOB_STATES = snapshot("raylane.job-states", JobView.class);

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
	public static final Topic<String, GpuUsage> ACCOUNTING = intake("raylane.accounting", GpuUsage.class);

	/** Key: subject. Value: {@link Alert}. Writer: observer. Readers: ops tooling. */
	public static final Topic<String, Alert> ALERTS = intake("raylane.alerts", Alert.class);

	/** Key: user. Value: {@link AuditEvent}. Writer: api. Readers: ops. */
	public static final Topic<String, AuditEvent> AUDIT = intake("raylane.audit", AuditEvent.class);

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

	private static <V> Topic<String, V> intake(String name, Class<V> type) {
		return new Topic<>(name, Serdes.String(), new JsonSerde<>(type), DEFAULT_PARTITIONS, false);
	}

	private static <V> Topic<String, V> snapshot(String name, Class<V> type) {
		return new Topic<>(name, Serdes.String(), new JsonSerde<>(type), DEFAULT_PARTITIONS, true);
	}

}
