package io.raylane.raystandin;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NoDelayHttpServersTest {

	@Test
	void shouldTurnNaglesAlgorithmOffForTheStandInsServersUnlessTheCommandLineChose() throws Exception {
		String chosen = System.getProperty(NoDelayHttpServers.NODELAY);
		HttpServer server = NoDelayHttpServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
		try {
			assertThat(server.getAddress().getAddress().isLoopbackAddress()).isTrue();
			assertThat(System.getProperty(NoDelayHttpServers.NODELAY)).isEqualTo((chosen != null) ? chosen : "true");
		}
		finally {
			server.stop(0);
		}
	}

}
