package io.raylane.nodeagent.provision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.raylane.nodeagent.ssh.TransientShellException;
import io.raylane.topics.events.DrainDelivered;
import io.raylane.topics.events.DrainOnRay;
import io.raylane.topics.node.NodeSpec;
import org.junit.jupiter.api.Test;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DrainOnRay becomes {@code ray drain-node} on the node and Ray's answer a
 * DrainDelivered: accepted, refused with Ray's one-line reason, or never run.
 */
class DrainOnRayHandlerTest {

	static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

	static final NodeSpec SPEC = new NodeSpec("gpu-1", "127.10.0.7", 22, "ray", "a100", Map.of(), 8, null);

	static final String RAY_ID = "4f2a9c01d3";

	final RecordingShell shell = new RecordingShell();

	final NodeCommandHandler handler = new NodeCommandHandler(this.shell,
			new RayCommands(List.of("ray"), "127.10.0.1:6379", Map.of(), 8090),
			new RetryTemplate(RetryPolicy.builder()
				.includes(TransientShellException.class)
				.maxRetries(2)
				.delay(Duration.ofMillis(1))
				.build()),
			Duration.ofSeconds(16), Clock.fixed(T, ZoneOffset.UTC));

	@Test
	void shouldTellRayTheNodeDrainsWithTheSecondsLeftUntilTheDeadline() {
		Object event = this.handler.handle(new DrainOnRay(1, "gpu-1", "a100", SPEC, RAY_ID,
				"raylane: draining node gpu-1", T.plusSeconds(600), T.minusSeconds(5)));

		assertThat(this.shell.commands()).containsExactly("127.10.0.7: 'ray' 'drain-node' '--address=127.10.0.1:6379' "
				+ "'--node-id=4f2a9c01d3' '--reason=DRAIN_NODE_REASON_PREEMPTION' "
				+ "'--reason-message=raylane: draining node gpu-1' '--deadline-remaining-seconds=600'");
		assertThat(event)
			.isEqualTo(new DrainDelivered(1, "gpu-1", "a100", "127.10.0.7", RAY_ID, true, 0, "ok", "", null, T));
	}

	@Test
	void shouldDrainWithoutADeadlineWhenTheDrainHasNone() {
		this.handler.handle(new DrainOnRay(1, "gpu-1", "a100", SPEC, RAY_ID, "m", null, T));

		assertThat(this.shell.commands()).singleElement().asString().doesNotContain("deadline");
	}

	@Test
	void shouldReportRaysRefusalWithItsLastLine() {
		this.shell.thenExit(1, "", "Traceback ...\nError: The drain request is not accepted: node is dead");

		Object event = this.handler.handle(new DrainOnRay(1, "gpu-1", "a100", SPEC, RAY_ID, "m", null, T));

		assertThat(event).isInstanceOfSatisfying(DrainDelivered.class, (d) -> {
			assertThat(d.accepted()).isFalse();
			assertThat(d.exitCode()).isEqualTo(1);
			assertThat(d.reason())
				.isEqualTo("ray drain-node exited 1: Error: The drain request is not accepted: node is dead");
		});
	}

	@Test
	void shouldReportAnUnreachableNodeAfterTheRetries() {
		for (int i = 0; i < 3; i++) {
			this.shell.then(() -> {
				throw new TransientShellException("cannot connect to ray@127.10.0.7:22: Connection refused", null);
			});
		}

		Object event = this.handler.handle(new DrainOnRay(1, "gpu-1", "a100", SPEC, RAY_ID, "m", null, T));

		assertThat(event).isInstanceOfSatisfying(DrainDelivered.class, (d) -> {
			assertThat(d.accepted()).isFalse();
			assertThat(d.exitCode()).isNull();
			assertThat(d.reason()).startsWith("unreachable after 3 attempt(s)");
		});
	}

	@Test
	void shouldRunNothingWithoutAValidRayNodeId() {
		Object event = this.handler.handle(new DrainOnRay(1, "gpu-1", "a100", SPEC, "--help", "m", null, T));

		assertThat(this.shell.commands()).isEmpty();
		assertThat(event).isInstanceOfSatisfying(DrainDelivered.class, (d) -> {
			assertThat(d.accepted()).isFalse();
			assertThat(d.reason()).isEqualTo("no valid Ray node id (--help), nothing was run");
		});
	}

}
