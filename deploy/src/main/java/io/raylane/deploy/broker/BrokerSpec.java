package io.raylane.deploy.broker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.raylane.topics.TopicPolicy;

/**
 * What one embedded KRaft node (combined broker and controller, on 127.0.0.1) is: the
 * all-in-one's single node, or one node of a test cluster of several.
 *
 * @param nodeId the node id, also its voter id in the quorum
 * @param port the client listener's port
 * @param controllerPort the controller listener's port
 * @param quorumVoters {@code controller.quorum.voters}: {@code id@127.0.0.1:port,...} of
 * every node (the static quorum)
 * @param internalTopics replicas and min ISR of Kafka's own topics (consumer offsets,
 * transaction state) and of topics created without saying (the broker's defaults)
 * @param sasl SASL/PLAIN on every listener with ACLs enforced, or empty for plaintext
 * without authorization (the all-in-one)
 */
public record BrokerSpec(int nodeId, int port, int controllerPort, String quorumVoters, TopicPolicy internalTopics,
		Optional<Sasl> sasl) {

	/** The all-in-one's node: alone in its quorum, one replica of everything. */
	public static BrokerSpec single(int port, int controllerPort) {
		return new BrokerSpec(1, port, controllerPort, "1@127.0.0.1:" + controllerPort, TopicPolicy.SINGLE_BROKER,
				Optional.empty());
	}

	/**
	 * Node {@code nodeId} of a cluster whose nodes' controller ports are
	 * {@code controllerPorts} (node id → port); Kafka's own topics get the production
	 * policy (3 replicas, 2 in sync) when the cluster has at least three nodes.
	 */
	public static BrokerSpec clusterNode(int nodeId, int port, Map<Integer, Integer> controllerPorts) {
		StringBuilder voters = new StringBuilder();
		controllerPorts.forEach((id, controllerPort) -> voters.append((voters.length() > 0) ? "," : "")
			.append(id)
			.append("@127.0.0.1:")
			.append(controllerPort));
		TopicPolicy internal = TopicPolicy.of((short) Math.min(3, controllerPorts.size()));
		return new BrokerSpec(nodeId, port, controllerPorts.get(nodeId), voters.toString(), internal, Optional.empty());
	}

	/** The same node with SASL/PLAIN and ACLs. */
	public BrokerSpec withSasl(Sasl sasl) {
		return new BrokerSpec(this.nodeId, this.port, this.controllerPort, this.quorumVoters, this.internalTopics,
				Optional.of(sasl));
	}

	/**
	 * SASL/PLAIN users of a test broker. The brokers themselves authenticate as
	 * {@code brokerUser}, a super user; everyone else is held to the ACLs
	 * ({@code StandardAuthorizer}, and no ACL means no access).
	 *
	 * @param brokerUser the brokers' own principal (inter-broker and controller traffic)
	 * @param passwords every user's password, the broker user's included
	 */
	public record Sasl(String brokerUser, Map<String, String> passwords) {

		public Sasl {
			passwords = Map.copyOf(passwords);
			if (!passwords.containsKey(brokerUser)) {
				throw new IllegalArgumentException("no password for the broker user " + brokerUser);
			}
		}

		/**
		 * The JAAS line of a listener: the users it accepts, and the broker's own login.
		 */
		String serverJaas() {
			StringBuilder jaas = new StringBuilder(plainLogin(this.brokerUser, this.passwords.get(this.brokerUser)));
			jaas.setLength(jaas.length() - 1);
			this.passwords.forEach(
					(user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
			return jaas.append(';').toString();
		}

		/** A client's settings to connect as {@code user}. */
		public Map<String, Object> clientProperties(String user) {
			String password = this.passwords.get(user);
			if (password == null) {
				throw new IllegalArgumentException("no SASL user " + user);
			}
			Map<String, Object> props = new LinkedHashMap<>();
			props.put("security.protocol", "SASL_PLAINTEXT");
			props.put("sasl.mechanism", "PLAIN");
			props.put("sasl.jaas.config", plainLogin(user, password));
			return props;
		}

		private static String plainLogin(String user, String password) {
			return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
					+ "\" password=\"" + password + "\";";
		}

		/** Without the passwords. */
		@Override
		public String toString() {
			return "Sasl[brokerUser=" + this.brokerUser + ", users=" + this.passwords.keySet() + "]";
		}

	}

}
