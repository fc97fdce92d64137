package io.raylane.deploy.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A Kafka node (KRaft, combined broker + controller) running inside this JVM, built from
 * Kafka's own server classes ({@link KafkaRaftServer}, storage {@link Formatter}): the
 * all-in-one's single node, or one node of a test cluster ({@link BrokerSpec}). It is the
 * all-in-one stack's system of record: every Raylane topic lives here, so its log
 * directory sits under the data directory and survives restarts (even a {@code kill -9}):
 * the storage is formatted only when it has no {@code meta.properties} yet, and then
 * keeps its cluster id for good.
 * <p>
 * Listens on 127.0.0.1 only; the controller gets a second loopback port picked at each
 * start (the quorum is static, one voter, so the port may change between runs).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

	/** Default client port ({@code RAYLANE_KAFKA_PORT}). */
	public static final int DEFAULT_PORT = 9092;

	private final KafkaRaftServer server;

	private final int port;

	private final Path logDir;

	private boolean closed;

	private EmbeddedKafkaBroker(KafkaRaftServer server, int port, Path logDir) {
		this.server = server;
		this.port = port;
		this.logDir = logDir;
	}

	/**
	 * Starts the all-in-one's single node; returns once it serves clients.
	 * @param dataDir the broker's own directory, used as its only log directory (topics
	 * and the KRaft metadata log); the all-in-one passes {@code RAYLANE_DATA_DIR/kafka}
	 * @param port the client port on 127.0.0.1; 0 picks a free one (see {@link #port()})
	 */
	public static EmbeddedKafkaBroker start(Path dataDir, int port) {
		int clientPort = (port == 0) ? freePort() : port;
		// two probes may be handed the same free port (seen in CI); the two listeners
		// must differ
		int controllerPort = freePort();
		while (controllerPort == clientPort) {
			controllerPort = freePort();
		}
		return start(dataDir, BrokerSpec.single(clientPort, controllerPort), null);
	}

	/**
	 * Starts one node as {@code spec} says (one of a cluster, or with SASL and ACLs);
	 * returns once it serves clients, which for a node of a cluster is once a majority of
	 * the quorum runs.
	 * @param clusterId the id to format new storage with (every node of a cluster the
	 * same); null picks one. Storage formatted before keeps its own.
	 */
	public static EmbeddedKafkaBroker start(Path dataDir, BrokerSpec spec, String clusterId) {
		BrokerLogging.quiet();
		Path logDir = dataDir.toAbsolutePath().normalize();
		Properties props = BrokerProperties.of(logDir, spec);
		try {
			Files.createDirectories(logDir);
			formatIfNeeded(logDir, spec.nodeId(), (clusterId != null) ? clusterId : Uuid.randomUuid().toString());
			KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
			try {
				server.startup();
			}
			catch (RuntimeException ex) {
				// e.g. the port is taken: release whatever already started before
				// reporting
				server.shutdown();
				throw ex;
			}
			return new EmbeddedKafkaBroker(server, spec.port(), logDir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot format Kafka storage in " + logDir, ex);
		}
	}

	/**
	 * The first start writes meta.properties + bootstrap metadata; later starts reuse
	 * them (and the cluster id).
	 */
	private static void formatIfNeeded(Path logDir, int nodeId, String clusterId) throws Exception {
		if (Files.exists(logDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
			return;
		}
		new Formatter().setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
			.setNodeId(nodeId)
			.setClusterId(clusterId)
			.setControllerListenerName(BrokerProperties.CONTROLLER_LISTENER)
			.setMetadataLogDirectory(logDir.toString())
			.addDirectory(logDir.toString())
			.run();
	}

	/** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
	public String bootstrapServers() {
		return "127.0.0.1:" + this.port;
	}

	/** The client port actually used (the chosen one when started with 0). */
	public int port() {
		return this.port;
	}

	/** The broker's log directory (topics and the KRaft metadata log). */
	public Path logDir() {
		return this.logDir;
	}

	/** The cluster id kept in meta.properties. */
	public String clusterId() {
		Properties meta = new Properties();
		try (var in = Files.newInputStream(this.logDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
			meta.load(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return meta.getProperty("cluster.id");
	}

	/** Clean, controlled shutdown; waits until the broker is down. Idempotent. */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.server.shutdown();
		this.server.awaitShutdown();
	}

	/** A free port on the loopback address, for a listener. */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Loggers of the broker itself; the all-in-one may also set
	 * {@code logging.level.<name>=WARN} for them.
	 */
	public static Map<String, String> quietLoggers() {
		return BrokerLogging.QUIET_LOGGERS;
	}

}
