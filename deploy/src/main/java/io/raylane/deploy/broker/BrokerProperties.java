package io.raylane.deploy.broker;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The server properties of an embedded KRaft node ({@link BrokerSpec}): combined mode on
 * loopback, Kafka's own topics with the spec's replicas and min ISR (transactions and
 * Streams EOS need the transaction log settings: without them {@code exactly_once_v2}
 * times out awaiting InitProducerId), retention suited to a laptop, and SASL/PLAIN with
 * ACLs when the spec asks for them.
 */
final class BrokerProperties {

	static final String CONTROLLER_LISTENER = "CONTROLLER";

	private BrokerProperties() {
	}

	static Properties of(Path logDir, BrokerSpec spec) {
		Properties p = new Properties();
		String clientListener = spec.sasl().isPresent() ? "SASL_PLAINTEXT" : "PLAINTEXT";
		p.put("process.roles", "broker,controller");
		p.put("node.id", String.valueOf(spec.nodeId()));
		p.put("controller.quorum.voters", spec.quorumVoters());
		p.put("listeners", clientListener + "://127.0.0.1:" + spec.port() + "," + CONTROLLER_LISTENER + "://127.0.0.1:"
				+ spec.controllerPort());
		p.put("advertised.listeners", clientListener + "://127.0.0.1:" + spec.port());
		p.put("controller.listener.names", CONTROLLER_LISTENER);
		p.put("listener.security.protocol.map",
				clientListener + ":" + clientListener + "," + CONTROLLER_LISTENER + ":" + clientListener);
		p.put("inter.broker.listener.name", clientListener);
		p.put("log.dirs", logDir.toString());
		// Kafka's own topics, and any created without saying, as durable as the spec asks
		String replicas = String.valueOf(spec.internalTopics().replicationFactor());
		String minIsr = String.valueOf(spec.internalTopics().minInsyncReplicas());
		p.put("offsets.topic.replication.factor", replicas);
		p.put("transaction.state.log.replication.factor", replicas);
		p.put("transaction.state.log.min.isr", minIsr);
		p.put("share.coordinator.state.topic.replication.factor", replicas);
		p.put("share.coordinator.state.topic.min.isr", minIsr);
		p.put("default.replication.factor", replicas);
		p.put("min.insync.replicas", minIsr);
		// a local stack: fewer internal partitions make the first group/transaction
		// coordinator lookup quick
		p.put("offsets.topic.num.partitions", "10");
		p.put("transaction.state.log.num.partitions", "10");
		p.put("group.initial.rebalance.delay.ms", "0");
		// local retention: a week, at most 1 GiB per partition, 64 MiB segments (the
		// history topics override both: Topics.KEPT_FOR_GOOD)
		p.put("log.retention.hours", "168");
		p.put("log.retention.bytes", String.valueOf(1L << 30));
		p.put("log.segment.bytes", String.valueOf(64L << 20));
		p.put("log.retention.check.interval.ms", "300000");
		if (spec.quorumVoters().contains(",")) {
			// several nodes (a test cluster): a node that dies is fenced, and its
			// partitions led elsewhere, after 6 s instead of 9 s; fewer threads per node
			p.put("broker.heartbeat.interval.ms", "1000");
			p.put("broker.session.timeout.ms", "6000");
			p.put("num.network.threads", "2");
			p.put("num.io.threads", "2");
			p.put("background.threads", "2");
		}
		spec.sasl().ifPresent((sasl) -> secure(p, clientListener, sasl));
		return p;
	}

	/**
	 * SASL/PLAIN on both listeners (the brokers and controllers authenticate to each
	 * other as the broker user) and the KRaft authorizer: a principal without an ACL may
	 * do nothing.
	 */
	private static void secure(Properties p, String clientListener, BrokerSpec.Sasl sasl) {
		p.put("sasl.enabled.mechanisms", "PLAIN");
		p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
		p.put("sasl.mechanism.controller.protocol", "PLAIN");
		String jaas = sasl.serverJaas();
		p.put("listener.name." + clientListener.toLowerCase(java.util.Locale.ROOT) + ".plain.sasl.jaas.config", jaas);
		p.put("listener.name." + CONTROLLER_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".plain.sasl.jaas.config",
				jaas);
		p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
		p.put("super.users", "User:" + sasl.brokerUser());
		p.put("allow.everyone.if.no.acl.found", "false");
	}

}
