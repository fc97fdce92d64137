package io.raylane.deploy.broker;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The server properties of the embedded single-node broker: combined KRaft mode on
 * loopback, every internal topic with replication factor 1 (transactions and Streams EOS
 * need the transaction log settings: without them {@code exactly_once_v2} times out
 * awaiting InitProducerId), and retention suited to a laptop.
 */
final class BrokerProperties {

	private BrokerProperties() {
	}

	static Properties of(Path logDir, int port, int controllerPort, int nodeId, String controllerListener) {
		Properties p = new Properties();
		p.put("process.roles", "broker,controller");
		p.put("node.id", String.valueOf(nodeId));
		p.put("controller.quorum.voters", nodeId + "@127.0.0.1:" + controllerPort);
		p.put("listeners",
				"PLAINTEXT://127.0.0.1:" + port + "," + controllerListener + "://127.0.0.1:" + controllerPort);
		p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
		p.put("controller.listener.names", controllerListener);
		p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + controllerListener + ":PLAINTEXT");
		p.put("inter.broker.listener.name", "PLAINTEXT");
		p.put("log.dirs", logDir.toString());
		// one node: every internal topic has a single replica
		p.put("offsets.topic.replication.factor", "1");
		p.put("transaction.state.log.replication.factor", "1");
		p.put("transaction.state.log.min.isr", "1");
		p.put("share.coordinator.state.topic.replication.factor", "1");
		p.put("share.coordinator.state.topic.min.isr", "1");
		p.put("default.replication.factor", "1");
		p.put("min.insync.replicas", "1");
		// a local stack: fewer internal partitions make the first group/transaction
		// coordinator lookup quick
		p.put("offsets.topic.num.partitions", "10");
		p.put("transaction.state.log.num.partitions", "10");
		p.put("group.initial.rebalance.delay.ms", "0");
		// local retention: a week, at most 1 GiB per partition, 64 MiB segments
		p.put("log.retention.hours", "168");
		p.put("log.retention.bytes", String.valueOf(1L << 30));
		p.put("log.segment.bytes", String.valueOf(64L << 20));
		p.put("log.retention.check.interval.ms", "300000");
		return p;
	}

}
