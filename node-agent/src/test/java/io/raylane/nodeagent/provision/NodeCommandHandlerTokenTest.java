package io.raylane.nodeagent.provision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.raylane.topics.events.DecommissionNode;
import io.raylane.topics.events.DrainOnRay;
import io.raylane.topics.events.ProvisionNode;
import io.raylane.topics.json.Json;
import io.raylane.topics.node.NodeSpec;
import org.junit.jupiter.api.Test;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With token authentication every {@code ray} command gets the cluster's token on stdin,
 * and nothing that is recorded (the command line, the node event) holds it.
 */
class NodeCommandHandlerTokenTest {

	static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

	static final String TOKEN = "c0ffee-ray-token-5ec7e7";

	static final NodeSpec SPEC = new NodeSpec("gpu-1", "127.10.0.7", 22, "ray", "a100", Map.of(), 8, null);

	final RecordingShell shell = new RecordingShell();

	final NodeCommandHandler handler = new NodeCommandHandler(this.shell,
			new RayCommands(List.of("ray"), "127.10.0.1:6379", Map.of(), 8090, TOKEN),
			new RetryTemplate(RetryPolicy.builder().maxRetries(0).build()), Duration.ofSeconds(16),
			Clock.fixed(T, ZoneOffset.UTC));

	@Test
	void shouldHandRayStartTheTokenOnStdinAndKeepItOutOfTheCommandLine() {
		Object event = this.handler.handle(new ProvisionNode(1, "gpu-1", "a100", SPEC, 1, T));

		String wrapper = "127.10.0.7: 'sh' '-c' '" + RayCommands.WITH_TOKEN_FROM_STDIN + "' 'raylane-ray-auth' ";
		assertThat(this.shell.commands()).containsExactly(wrapper + "'ray' 'stop' '--grace-period' '16'",
				wrapper + "'ray' 'start' '--address=127.10.0.1:6379' "
						+ "'--num-gpus=8' '--resources={\"raylane-pool-a100\": 1000}' '--node-ip-address=127.10.0.7' "
						+ "'--metrics-export-port=8090' '--labels=raylane.io/node=gpu-1,raylane.io/pool=a100'");
		assertThat(this.shell.stdins()).containsExactly(TOKEN + "\n", TOKEN + "\n");
		assertThat(Json.mapper().writeValueAsString(event)).doesNotContain(TOKEN);
	}

	@Test
	void shouldHandEveryStopTheTokenTooWhenTheGracefulOneFails() {
		this.shell.thenExit(1, "", "Stopped only 5 out of 6 Ray processes");

		Object event = this.handler.handle(new DecommissionNode(1, "gpu-1", "a100", SPEC, T));

		assertThat(this.shell.commands()).hasSize(2)
			.allSatisfy((line) -> assertThat(line).doesNotContain(TOKEN).contains("'raylane-ray-auth' 'ray' 'stop'"));
		assertThat(this.shell.stdins()).containsExactly(TOKEN + "\n", TOKEN + "\n");
		assertThat(Json.mapper().writeValueAsString(event)).doesNotContain(TOKEN);
	}

	@Test
	void shouldHandRayDrainNodeTheTokenToo() {
		this.handler.handle(new DrainOnRay(1, "gpu-1", "a100", SPEC, "4f2a9c01", "m", null, T));

		assertThat(this.shell.commands()).singleElement()
			.asString()
			.contains("'raylane-ray-auth' 'ray' 'drain-node'")
			.doesNotContain(TOKEN);
		assertThat(this.shell.stdins()).containsExactly(TOKEN + "\n");
	}

	@Test
	void shouldRunTheBareCommandWithoutAToken() {
		RayCommands plain = new RayCommands(List.of("ray"), "127.10.0.1:6379", Map.of(), 8090, " ");

		assertThat(plain.remote(plain.forceStop()).argv()).containsExactly("ray", "stop", "--force");
		assertThat(plain.remote(plain.forceStop()).hasSecret()).isFalse();
	}

	@Test
	void shouldNeverShowTheTokenInTheTextOfItsHolders() {
		RayCommands ray = new RayCommands(List.of("ray"), "127.10.0.1:6379", Map.of(), 8090, TOKEN);

		assertThat(ray.toString()).doesNotContain(TOKEN).contains("authToken=***");
		assertThat(ray.remote(ray.stop(Duration.ofSeconds(5))).toString()).doesNotContain(TOKEN)
			.endsWith("<secret on stdin>");
		// the program reads the token, it does not carry it
		assertThat(Arrays.asList(RayCommands.WITH_TOKEN_FROM_STDIN.split(" "))).doesNotContain(TOKEN);
	}

}
