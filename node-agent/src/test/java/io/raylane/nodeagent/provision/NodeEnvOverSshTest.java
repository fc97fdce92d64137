package io.raylane.nodeagent.provision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.raylane.nodeagent.ssh.MinaRemoteShell;
import io.raylane.nodeagent.ssh.SshSettings;
import io.raylane.nodeagent.ssh.TestKeys;
import io.raylane.nodeagent.ssh.TestSshServer;
import io.raylane.topics.events.ProvisionNode;
import io.raylane.topics.events.Provisioned;
import io.raylane.topics.json.Json;
import io.raylane.topics.node.NodeSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node's own environment (NodeSpec {@code env}, issue 16) reaches the process
 * {@code ray start} becomes, over a real SSH server (MINA SSHD, commands run by
 * {@code /bin/sh -c}, a recording {@code ray} first on PATH), with the Ray token too;
 * values with shell syntax arrive literally, and no log line, event or command line holds
 * a value.
 */
@ExtendWith(OutputCaptureExtension.class)
class NodeEnvOverSshTest {

	static final String TOKEN = "5e1d-ray-cluster-token-0c2f";

	static final String ODD = "a 'b' \"c\" $(touch pwned) `id` ; x";

	@TempDir
	Path dir;

	TestSshServer server;

	MinaRemoteShell shell;

	Path calls;

	@BeforeEach
	void start() throws Exception {
		this.calls = this.dir.resolve("calls");
		Path bin = Files.createDirectories(this.dir.resolve("bin"));
		Path ray = bin.resolve("ray");
		// the fixture records what the started process sees; the test compares
		Files.writeString(ray,
				"#!/bin/sh\nprintf '%s|%s|%s|%s\\n' \"${NCCL_SOCKET_IFNAME:-unset}\" \"${ODD_VALUE:-unset}\" "
						+ "\"${RAY_AUTH_TOKEN:-unset}\" \"$1\" >> '" + this.calls + "'\necho \"ray $1 done\"\n");
		Files.setPosixFilePermissions(ray, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path key = TestKeys.generate(this.dir.resolve("id_ed25519"), "ed25519");
		Path knownHosts = this.dir.resolve("known_hosts");
		this.server = TestSshServer.start("127.0.0.1", this.dir.resolve("host.key"), TestKeys.publicKey(key), bin);
		this.server.trustIn(knownHosts);
		this.shell = new MinaRemoteShell(new SshSettings(key, this.dir, knownHosts, false, Duration.ofSeconds(5),
				Duration.ofSeconds(10), Duration.ofSeconds(20), 2, 5));
	}

	@AfterEach
	void stop() throws IOException {
		this.shell.close();
		this.server.close();
	}

	@Test
	void shouldStartRayWithTheNodesEnvironmentAndTheToken(CapturedOutput output) throws IOException {
		NodeSpec spec = new NodeSpec("w1", "127.0.0.1", this.server.port(), System.getProperty("user.name"), "default",
				Map.of(), 4, null, null, Map.of("NCCL_SOCKET_IFNAME", "ens1f0", "ODD_VALUE", ODD));
		NodeCommandHandler handler = new NodeCommandHandler(this.shell,
				new RayCommands(List.of("ray"), "127.0.0.1:6379", Map.of(), 8090, TOKEN),
				new RetryTemplate(RetryPolicy.builder().maxRetries(0).build()), Duration.ofSeconds(5),
				Clock.systemUTC());

		Object started = handler.handle(new ProvisionNode(1, "w1", "default", spec, 1, Instant.now()));

		assertThat(started).isInstanceOfSatisfying(Provisioned.class,
				(p) -> assertThat(p.stdoutTail()).isEqualTo("ray start done"));
		// ray stop runs without the node's environment, ray start with all of it
		assertThat(Files.readAllLines(this.calls)).containsExactly("unset|unset|" + TOKEN + "|stop",
				"ens1f0|" + ODD + "|" + TOKEN + "|start");
		assertThat(Json.mapper().writeValueAsString(started)).doesNotContain("ens1f0").doesNotContain(TOKEN);
		assertThat(output.getAll()).contains("raylane-ray-env")
			.doesNotContain("ens1f0")
			.doesNotContain("touch pwned")
			.doesNotContain(TOKEN);
	}

}
