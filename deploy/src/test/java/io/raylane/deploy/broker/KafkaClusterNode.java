package io.raylane.deploy.broker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The main class of one node of a {@link KafkaCluster}: runs an
 * {@link EmbeddedKafkaBroker} as {@link BrokerSpec#clusterNode} until the process is
 * killed (SIGKILL: the test's broker failure) or terminated (SIGTERM: a clean stop).
 * <p>
 * Arguments: data dir, node id, cluster id, client port, controller ports as
 * {@code id:port,id:port,...}.
 */
public final class KafkaClusterNode {

	private KafkaClusterNode() {
	}

	public static void main(String[] args) throws InterruptedException {
		Path dataDir = Path.of(args[0]);
		int nodeId = Integer.parseInt(args[1]);
		String clusterId = args[2];
		int port = Integer.parseInt(args[3]);
		EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir,
				BrokerSpec.clusterNode(nodeId, port, controllerPorts(args[4])), clusterId);
		Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-node-" + nodeId + "-shutdown"));
		System.out.println("kafka node " + nodeId + " serves " + broker.bootstrapServers());
		Thread.currentThread().join();
	}

	static Map<Integer, Integer> controllerPorts(String spec) {
		Map<Integer, Integer> ports = new LinkedHashMap<>();
		for (String voter : spec.split(",")) {
			String[] parts = voter.split(":");
			ports.put(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
		}
		return ports;
	}

}
