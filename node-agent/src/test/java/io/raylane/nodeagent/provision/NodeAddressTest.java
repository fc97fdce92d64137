package io.raylane.nodeagent.provision;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A NodeSpec's host becomes one IP literal: literals stay as they are, names are looked
 * up once (IPv4 first), an unknown name is refused with its name.
 */
class NodeAddressTest {

	@Test
	void shouldKeepAnIpLiteralWithoutALookup() throws UnknownHostException {
		assertThat(NodeAddress.of("169.254.211.11", NodeAddress.Resolver.SYSTEM).getHostAddress())
			.isEqualTo("169.254.211.11");
		assertThat(NodeAddress.of("fd00::7", NodeAddress.Resolver.SYSTEM).getHostAddress())
			.isEqualTo("fd00:0:0:0:0:0:0:7");
	}

	@Test
	void shouldResolveAHostNameAndPreferIpv4() throws UnknownHostException {
		NodeAddress.Resolver dualStack = (
				host) -> new InetAddress[] { InetAddress.getByName("fd00::7"), InetAddress.getByName("127.10.0.7") };

		assertThat(NodeAddress.of("gpu-07", dualStack).getHostAddress()).isEqualTo("127.10.0.7");
		assertThat(NodeAddress.of("localhost", NodeAddress.Resolver.SYSTEM).isLoopbackAddress()).isTrue();
	}

	@Test
	void shouldRefuseAHostNameWithoutAnAddressNamingIt() {
		NodeAddress.Resolver none = (host) -> {
			throw new UnknownHostException(host + ": Name or service not known");
		};

		assertThatThrownBy(() -> NodeAddress.of("gpu-99.example", none)).isInstanceOf(UnknownHostException.class)
			.hasMessage(
					"cannot resolve host 'gpu-99.example' to an IP address: gpu-99.example: Name or service not known");
		assertThatThrownBy(() -> NodeAddress.of("gpu-99.example", (host) -> new InetAddress[0]))
			.hasMessageContaining("'gpu-99.example'");
	}

}
