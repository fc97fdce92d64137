package io.raylane.topics.guard;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * The guard of every test JVM (issue 12): a connection outside this machine is refused
 * before the connect, by the JDK's own check, for blocking and NIO sockets alike. The
 * connects aim at 192.0.2.1 (TEST-NET-1, RFC 5737: reserved for documentation, routed
 * nowhere), never at a private-range address: were the guard missing, the connect would
 * hang until its timeout instead of failing at once with a SecurityException, and still
 * reach no host. The private ranges appear only as data of the pure {@code refusal}
 * table.
 */
class LoopbackOnlyTest {

	/** Where the connect tests aim: off this machine, yet reserved and routed nowhere. */
	private static final String OFF_MACHINE = "192.0.2.1";

	/** Only a value of the refusal table below: no test connects to it. */
	private static final String PRIVATE = "10.255.255.1";

	@AfterEach
	void forgetRefusals() {
		// this class provokes refusals on purpose; the extension must not fail it for
		// them
		LoopbackOnly.takeRefusals();
	}

	static Stream<Arguments> destinations() {
		return Stream.of(Arguments.of("loopback", "127.0.0.1", 80, true),
				Arguments.of("another loopback address (simulated nodes)", "127.10.3.2", 8265, true),
				Arguments.of("IPv6 loopback", "0:0:0:0:0:0:0:1", 80, true),
				Arguments.of("IPv6 loopback in brackets", "[::1]", 80, true),
				Arguments.of("the name localhost", "localhost", 9092, true),
				Arguments.of("the wildcard address (local on Linux)", "0.0.0.0", 80, true),
				Arguments.of("the Ray fixture's namespaces", "169.254.217.2", 8265, true),
				Arguments.of("a name lookup, not a connection", "example.com", -1, true),
				Arguments.of("a private address", PRIVATE, 80, false),
				Arguments.of("a documentation address (the connect tests')", OFF_MACHINE, 80, false),
				Arguments.of("another private range", "192.168.1.1", 22, false),
				Arguments.of("a public address", "8.8.8.8", 53, false),
				Arguments.of("the cloud metadata service", "169.254.169.254", 80, false),
				Arguments.of("a global IPv6 address", "2001:db8::1", 80, false),
				Arguments.of("IPv6 link-local", "fe80::1", 80, false),
				Arguments.of("a private address mapped into IPv6", "::ffff:" + PRIVATE, 80, false));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("destinations")
	void refusal(String scenario, String host, int port, boolean wantAllowed) {
		assertThat(LoopbackOnly.refusal(host, port).isEmpty()).as(scenario).isEqualTo(wantAllowed);
	}

	@Test
	void shouldBeInstalledInEveryTestJvm() {
		assertThat(LoopbackOnly.installed()).isTrue();
	}

	@Test
	void shouldRefuseABlockingConnectBeforeItStarts() {
		assertThatThrownBy(() -> {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(OFF_MACHINE, 80), 60_000);
			}
		}).isInstanceOf(SecurityException.class).hasMessageContaining(OFF_MACHINE + ":80");
		assertThat(LoopbackOnly.takeRefusals()).singleElement().asString().contains(OFF_MACHINE);
	}

	@Test
	void shouldRefuseAnNioConnect() {
		assertThatThrownBy(() -> {
			try (SocketChannel channel = SocketChannel.open()) {
				channel.connect(new InetSocketAddress(OFF_MACHINE, 9092));
			}
		}).isInstanceOf(SecurityException.class);
	}

	@Test
	void shouldRefuseTheJdkHttpClient() {
		HttpClient client = HttpClient.newHttpClient();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + OFF_MACHINE + ":8265/api/jobs/")).build();
		assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
			.hasRootCauseInstanceOf(SecurityException.class);
	}

	@Test
	void shouldLetLoopbackThrough() throws IOException {
		try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
				Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 10_000);
			assertThat(socket.isConnected()).isTrue();
		}
	}

	@Test
	void shouldFailATestThatSwallowsTheRefusal() {
		SummaryGeneratingListener summary = new SummaryGeneratingListener();
		SwallowingTest.launched = true;
		try {
			LauncherFactory.create().execute(request().selectors(selectClass(SwallowingTest.class)).build(), summary);
		}
		finally {
			SwallowingTest.launched = false;
		}
		TestExecutionSummary result = summary.getSummary();
		assertThat(result.getTestsFailedCount()).isEqualTo(1);
		assertThat(result.getFailures()).singleElement()
			.extracting((f) -> f.getException().getMessage())
			.asString()
			.contains("connection(s) outside this machine refused", OFF_MACHINE);
	}

	/**
	 * Code under test that catches everything, as a client retrying for ever would; run
	 * only by {@link #shouldFailATestThatSwallowsTheRefusal} (surefire skips nested
	 * classes).
	 */
	static class SwallowingTest {

		static volatile boolean launched;

		@Test
		void connectsAndSwallows() {
			Assumptions.assumeTrue(launched);
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(OFF_MACHINE, 80), 60_000);
			}
			catch (IOException | RuntimeException ex) {
				// swallowed
			}
		}

	}

}
