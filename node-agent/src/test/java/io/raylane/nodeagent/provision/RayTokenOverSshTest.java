package io.raylane.nodeagent.provision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.raylane.nodeagent.ssh.MinaRemoteShell;
import io.raylane.nodeagent.ssh.SshSettings;
import io.raylane.nodeagent.ssh.TestKeys;
import io.raylane.nodeagent.ssh.TestSshServer;
import io.raylane.topics.events.DecommissionNode;
import io.raylane.topics.events.Decommissioned;
import io.raylane.topics.events.ProvisionNode;
import io.raylane.topics.events.Provisioned;
import io.raylane.topics.json.Json;
import io.raylane.topics.node.NodeSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token reaches {@code ray}'s environment on a node over a real SSH server (MINA
 * SSHD, commands run by {@code /bin/sh -c}, a recording {@code ray} first on PATH), as
 * {@code RAY_AUTH_MODE=token} and {@code RAY_AUTH_TOKEN}; no log line at DEBUG, no event
 * and no command line holds it.
 */
@ExtendWith(OutputCaptureExtension.class)
class RayTokenOverSshTest {

	static final String TOKEN = "9f3c2a-ray-cluster-token-71b0";

	@TempDir
	Path dir;

	TestSshServer server;

	MinaRemoteShell shell;

	Path calls;

	private final Map<String, Level> levels = new java.util.HashMap<>();

	@BeforeEach
	void start() throws Exception {
		// what the fake ray saw, one line per call; the test compares, the script only
		// records
		this.calls = this.dir.resolve("calls");
		Path bin = Files.createDirectories(this.dir.resolve("bin"));
		Path ray = bin.resolve("ray");
		Files.writeString(ray,
				"#!/bin/sh\nprintf '%s|%s|%s\\n' \"${RAY_AUTH_MODE:-unset}\" \"${RAY_AUTH_TOKEN:-unset}\" \"$*\" >> '"
						+ this.calls + "'\necho \"ray $1 done\"\n");
		Files.setPosixFilePermissions(ray, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path key = TestKeys.generate(this.dir.resolve("id_ed25519"), "ed25519");
		Path knownHosts = this.dir.resolve("known_hosts");
		this.server = TestSshServer.start("127.0.0.1", this.dir.resolve("host.key"), TestKeys.publicKey(key), bin);
		this.server.trustIn(knownHosts);
		this.shell = new MinaRemoteShell(new SshSettings(key, this.dir, knownHosts, false, Duration.ofSeconds(5),
				Duration.ofSeconds(10), Duration.ofSeconds(20), 2, 5));
		// every logger that touches the command at its most talkative usual level
		for (String name : List.of("io.raylane", "org.apache.sshd")) {
			Logger logger = (Logger) LoggerFactory.getLogger(name);
			this.levels.put(name, logger.getLevel());
			logger.setLevel(Level.DEBUG);
		}
	}

	@AfterEach
	void stop() throws IOException {
		this.levels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
		this.shell.close();
		this.server.close();
	}

	@Test
	void shouldStartAndStopRayWithTheTokenInItsEnvironmentOnly(CapturedOutput output) throws IOException {
		NodeSpec spec = new NodeSpec("w1", "127.0.0.1", this.server.port(), System.getProperty("user.name"), "default",
				Map.of(), 4, null);
		NodeCommandHandler handler = new NodeCommandHandler(this.shell,
				new RayCommands(List.of("ray"), "127.0.0.1:6379", Map.of(), 8090, TOKEN),
				new RetryTemplate(RetryPolicy.builder().maxRetries(0).build()), Duration.ofSeconds(5),
				Clock.systemUTC());

		Object started = handler.handle(new ProvisionNode(1, "w1", "default", spec, 1, java.time.Instant.now()));
		Object stopped = handler.handle(new DecommissionNode(1, "w1", "default", spec, java.time.Instant.now()));

		assertThat(started).isInstanceOfSatisfying(Provisioned.class,
				(p) -> assertThat(p.stdoutTail()).isEqualTo("ray start done"));
		assertThat(stopped).isInstanceOfSatisfying(Decommissioned.class, (d) -> assertThat(d.stopped()).isTrue());
		assertThat(Files.readAllLines(this.calls)).containsExactly("token|" + TOKEN + "|stop --grace-period 5",
				"token|" + TOKEN + "|start --address=127.0.0.1:6379 --num-gpus=4 "
						+ "--resources={\"raylane-pool-default\": 1000} --node-ip-address=127.0.0.1 "
						+ "--metrics-export-port=8090 --labels=raylane.io/node=w1,raylane.io/pool=default",
				"token|" + TOKEN + "|stop --grace-period 5");
		assertThat(Json.mapper().writeValueAsString(started) + Json.mapper().writeValueAsString(stopped))
			.doesNotContain(TOKEN);
		assertThat(output.getAll()).contains("running 'sh' '-c'").doesNotContain(TOKEN);
	}

}
