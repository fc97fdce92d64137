package io.raylane.nodeagent.provision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.raylane.topics.events.RayHeadRestarted;
import io.raylane.topics.events.RayHeadRestarted.WorkerRestart;
import io.raylane.topics.events.RestartRayHead;
import io.raylane.topics.node.NodeSpec;
import org.junit.jupiter.api.Test;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order of a Ray head restart and what it reports: the head first ({@code ray stop},
 * {@code ray start --head}), then each worker; a head that does not start touches no
 * worker.
 */
class RayHeadRestartTest {

	static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

	static final NodeSpec HEAD = new NodeSpec("head-1", "127.10.0.2", 22, "ray", "default", Map.of(), 0, null, "head",
			null);

	static final NodeSpec W1 = new NodeSpec("gpu-1", "127.10.0.7", 22, "ray", "default", Map.of(), 8, null, null,
			Map.of("NCCL_SOCKET_IFNAME", "ens1f0"));

	static final NodeSpec W2 = new NodeSpec("gpu-2", "127.10.0.8", 22, "ray", "default", Map.of(), 8, null);

	final RecordingShell shell = new RecordingShell();

	final NodeCommandHandler handler = new NodeCommandHandler(this.shell,
			new RayCommands(List.of("ray"), "127.10.0.2:6379", Map.of(), 8090),
			new RetryTemplate(RetryPolicy.builder().maxRetries(0).build()), Duration.ofSeconds(16),
			Clock.fixed(T, ZoneOffset.UTC));

	static RestartRayHead restart(NodeSpec head) {
		return new RestartRayHead(1, head.nodeId(), "default", head, List.of(W1, W2), "op-1", "root", T);
	}

	@Test
	void shouldRestartTheHeadThenReprovisionEveryWorkerInOrder() {
		this.shell.thenExit(0, "", "")
			.thenExit(0, "", "")
			.thenExit(0, "", "")
			.thenExit(1, "", "Could not connect to GCS")
			.thenExit(0, "", "")
			.thenExit(0, "", "");

		Object event = this.handler.handle(restart(HEAD));

		assertThat(this.shell.commands()).containsExactly("127.10.0.2: 'ray' 'stop' '--grace-period' '16'",
				"127.10.0.2: 'ray' 'start' '--head' '--node-ip-address=127.10.0.2' '--port=6379' '--num-cpus=0' "
						+ "'--num-gpus=0' '--include-dashboard=true' '--dashboard-host=127.10.0.2' "
						+ "'--metrics-export-port=8090'",
				"127.10.0.7: 'ray' 'stop' '--grace-period' '16'",
				"127.10.0.7: 'sh' '-c' '" + RayCommands.WITH_ENV_FROM_STDIN + "' 'raylane-ray-env' 'ray' 'start' "
						+ "'--address=127.10.0.2:6379' '--num-gpus=8' '--resources={\"raylane-pool-default\": 1000}' "
						+ "'--node-ip-address=127.10.0.7' '--metrics-export-port=8090' "
						+ "'--labels=raylane.io/node=gpu-1,raylane.io/pool=default'",
				"127.10.0.8: 'ray' 'stop' '--grace-period' '16'",
				"127.10.0.8: 'ray' 'start' '--address=127.10.0.2:6379' '--num-gpus=8' "
						+ "'--resources={\"raylane-pool-default\": 1000}' '--node-ip-address=127.10.0.8' "
						+ "'--metrics-export-port=8090' '--labels=raylane.io/node=gpu-2,raylane.io/pool=default'");
		assertThat(this.shell.stdins().get(3)).isEqualTo("NCCL_SOCKET_IFNAME=ens1f0\n\n");
		assertThat(event).isEqualTo(new RayHeadRestarted(1, "head-1", "default", "op-1", true, null, List
			.of(new WorkerRestart("gpu-1", false, "ray start exited 1"), new WorkerRestart("gpu-2", true, null)), T));
	}

	@Test
	void shouldTouchNoWorkerWhenTheHeadDoesNotStart() {
		this.shell.thenExit(0, "", "").thenExit(1, "", "port 6379 in use");

		Object event = this.handler.handle(restart(HEAD));

		assertThat(this.shell.commands()).hasSize(2);
		assertThat(event).isInstanceOfSatisfying(RayHeadRestarted.class, (r) -> {
			assertThat(r.headStarted()).isFalse();
			assertThat(r.reason()).isEqualTo("ray start exited 1");
			assertThat(r.workers()).isEmpty();
		});
	}

	@Test
	void shouldRunNothingForANodeThatIsNotTheHead() {
		Object event = this.handler.handle(restart(W2));

		assertThat(this.shell.commands()).isEmpty();
		assertThat(event).isInstanceOfSatisfying(RayHeadRestarted.class,
				(r) -> assertThat(r.reason()).contains("not of role head"));
	}

}
