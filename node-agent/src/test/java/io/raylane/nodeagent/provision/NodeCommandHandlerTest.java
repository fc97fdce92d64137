package io.raylane.nodeagent.provision;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.raylane.nodeagent.ssh.ShellException;
import io.raylane.nodeagent.ssh.TransientShellException;
import io.raylane.topics.events.DecommissionNode;
import io.raylane.topics.events.Decommissioned;
import io.raylane.topics.events.DrainNode;
import io.raylane.topics.events.ProvisionFailed;
import io.raylane.topics.events.ProvisionNode;
import io.raylane.topics.events.Provisioned;
import io.raylane.topics.node.NodeSpec;
import org.junit.jupiter.api.Test;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class NodeCommandHandlerTest {

	static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

	static final NodeSpec SPEC = new NodeSpec("gpu-1", "127.10.0.7", 22, "ray", "a100",
			Map.of("zone", "b", "rack", "r1"), 8, null);

	final RecordingShell shell = new RecordingShell();

	final NodeCommandHandler handler = new NodeCommandHandler(this.shell,
			new RayCommands(List.of("ray"), "127.10.0.1:6379", Map.of("a100", List.of("--disable-usage-stats")), 8090),
			new RetryTemplate(RetryPolicy.builder()
				.includes(TransientShellException.class)
				.maxRetries(2)
				.delay(Duration.ofMillis(1))
				.build()),
			Duration.ofSeconds(16), Clock.fixed(T, ZoneOffset.UTC));

	static final String STOP = "127.10.0.7: 'ray' 'stop' '--grace-period' '16'";

	@Test
	void shouldStopWhatRayLeftThenRunRayStartWithEveryValueQuotedAndReportProvisioned() {
		this.shell.thenExit(0, "Did not find any active Ray processes.", "").thenExit(0, "Ray runtime started.", "");

		Object event = this.handler.handle(new ProvisionNode(1, "gpu-1", "a100", SPEC, 1, T));

		assertThat(this.shell.commands()).containsExactly(STOP, "127.10.0.7: 'ray' 'start' '--address=127.10.0.1:6379' "
				+ "'--num-gpus=8' '--resources={\"raylane-pool-a100\": 1000}' '--node-ip-address=127.10.0.7' "
				+ "'--metrics-export-port=8090' '--labels=rack=r1,raylane.io/node=gpu-1,raylane.io/pool=a100,zone=b' '--disable-usage-stats'");
		assertThat(event)
			.isEqualTo(new Provisioned(1, "gpu-1", "a100", "127.10.0.7", 0, "Ray runtime started.", "", 2, T));
	}

	@Test
	void shouldStartRayEvenWhenTheStopBeforeItFails() {
		this.shell.thenExit(1, "", "ray: command failed").thenExit(0, "Ray runtime started.", "");

		Object event = this.handler.handle(new ProvisionNode(1, "gpu-1", "a100", SPEC, 1, T));

		assertThat(this.shell.commands()).hasSize(2);
		assertThat(event).isInstanceOf(Provisioned.class);
	}

	@Test
	void shouldLookUpAHostNameOnceAndGiveRayItsIp() {
		AtomicInteger lookups = new AtomicInteger();
		NodeCommandHandler resolving = handler((host) -> {
			lookups.incrementAndGet();
			return new InetAddress[] { InetAddress.getByAddress(host, new byte[] { 127, 10, 0, 9 }) };
		});
		NodeSpec named = new NodeSpec("gpu-9", "gpu-9.example", 22, "ray", "a100", Map.of(), 8, null);
		this.shell.then(() -> {
			throw new TransientShellException("Connection refused", null);
		});

		Object event = resolving.handle(new ProvisionNode(1, "gpu-9", "a100", named, 1, T));

		assertThat(event).isInstanceOf(Provisioned.class);
		assertThat(lookups).hasValue(1);
		// SSH still goes to the name (known_hosts holds names); Ray only ever sees the IP
		assertThat(this.shell.commands()).hasSize(3).allMatch((c) -> c.startsWith("gpu-9.example: "));
		assertThat(this.shell.commands().get(2)).contains("'--node-ip-address=127.10.0.9'")
			.doesNotContain("--node-ip-address=gpu-9");
	}

	@Test
	void shouldRefuseAnUnresolvableHostNamingItWithoutRunningAnything() {
		NodeCommandHandler unresolvable = handler((host) -> {
			throw new UnknownHostException(host);
		});
		NodeSpec named = new NodeSpec("gpu-9", "gpu-9.example", 22, "ray", "a100", Map.of(), 8, null);

		Object event = unresolvable.handle(new ProvisionNode(1, "gpu-9", "a100", named, 1, T));

		assertThat(this.shell.commands()).isEmpty();
		assertThat(event).isInstanceOfSatisfying(ProvisionFailed.class, (f) -> {
			assertThat(f.reason()).isEqualTo("cannot resolve host 'gpu-9.example' to an IP address; "
					+ "ray start needs it for --node-ip-address, nothing was run");
			assertThat(f.host()).isEqualTo("gpu-9.example");
			assertThat(f.attempts()).isZero();
		});
	}

	@Test
	void shouldReportANonZeroExitAsProvisionFailedWithTheTails() {
		this.shell.thenExit(0, "", "").thenExit(1, "", "ConnectionError: could not reach GCS");

		Object event = this.handler.handle(new ProvisionNode(1, "gpu-1", "a100", SPEC, 1, T));

		assertThat(event).isInstanceOfSatisfying(ProvisionFailed.class, (f) -> {
			assertThat(f.reason()).isEqualTo("ray start exited 1");
			assertThat(f.exitCode()).isEqualTo(1);
			assertThat(f.stderrTail()).isEqualTo("ConnectionError: could not reach GCS");
		});
	}

	/**
	 * The fault campaign's SSH host ended FAILED "ray start exited 127": the shell found
	 * no ray on the session's PATH. The reason says so, not only the number.
	 */
	@Test
	void shouldSayCommandNotFoundForAShellsExit127() {
		this.shell.thenExit(127, "", "sh: 1: ray: not found").thenExit(127, "", "sh: 1: ray: not found");

		Object event = this.handler.handle(new ProvisionNode(1, "gpu-1", "a100", SPEC, 1, T));

		assertThat(event).isInstanceOfSatisfying(ProvisionFailed.class, (f) -> {
			assertThat(f.reason()).isEqualTo("ray start exited 127 (command not found on 127.10.0.7: Ray's CLI must "
					+ "be on the PATH of ray's non-interactive SSH sessions, or raylane.node-agent.ray-command must "
					+ "name it)");
			assertThat(f.exitCode()).isEqualTo(127);
			assertThat(f.stderrTail()).isEqualTo("sh: 1: ray: not found");
		});
	}

	@Test
	void shouldRetryAnUnreachableHostThenGiveUp() {
		for (int i = 0; i < 3; i++) {
			this.shell.then(() -> {
				throw new TransientShellException("cannot connect to ray@127.10.0.7:22: Connection refused", null);
			});
		}

		Object event = this.handler.handle(new ProvisionNode(1, "gpu-1", "a100", SPEC, 1, T));

		assertThat(this.shell.commands()).hasSize(3);
		assertThat(event).isInstanceOfSatisfying(ProvisionFailed.class, (f) -> {
			assertThat(f.reason()).startsWith("unreachable after 3 attempt(s): cannot connect to");
			assertThat(f.attempts()).isEqualTo(3);
			assertThat(f.exitCode()).isNull();
		});
	}

	@Test
	void shouldRecoverWhenARetrySucceeds() {
		this.shell.then(() -> {
			throw new TransientShellException("Connection refused", null);
		}).thenExit(0, "stopped", "").thenExit(0, "started", "");

		Object event = this.handler.handle(new ProvisionNode(1, "gpu-1", "a100", SPEC, 1, T));

		assertThat(event).isInstanceOfSatisfying(Provisioned.class, (p) -> assertThat(p.attempts()).isEqualTo(3));
	}

	@Test
	void shouldNotRetryAHostKeyOrAuthRefusal() {
		this.shell.then(() -> {
			throw new ShellException("ssh ray@127.10.0.7:22 refused: the host key ... is not in the known_hosts file",
					false);
		});

		Object event = this.handler.handle(new ProvisionNode(1, "gpu-1", "a100", SPEC, 1, T));

		assertThat(this.shell.commands()).hasSize(1);
		assertThat(event).isInstanceOfSatisfying(ProvisionFailed.class,
				(f) -> assertThat(f.reason()).contains("known_hosts"));
	}

	@Test
	void shouldRefuseAHostileSpecWithoutRunningAnything() {
		NodeSpec hostile = new NodeSpec("gpu-1", "x;touch /tmp/pwned", 22, "ray", "a100", Map.of("k", "$(id)"), 8,
				null);

		Object event = this.handler.handle(new ProvisionNode(1, "gpu-1", "a100", hostile, 1, T));

		assertThat(this.shell.commands()).isEmpty();
		assertThat(event).isInstanceOfSatisfying(ProvisionFailed.class,
				(f) -> assertThat(f.reason()).startsWith("invalid NodeSpec, nothing was run: host"));
	}

	@Test
	void shouldStopRayGracefully() {
		this.shell.thenExit(0, "Stopped all 5 Ray processes.", "");

		Object event = this.handler.handle(new DrainNode(1, "gpu-1", "a100", SPEC, null, T));

		assertThat(this.shell.commands()).containsExactly("127.10.0.7: 'ray' 'stop' '--grace-period' '16'");
		assertThat(event).isEqualTo(new Decommissioned(1, "gpu-1", "a100", "127.10.0.7", true, false, 0,
				"Stopped all 5 Ray processes.", "", null, T));
	}

	@Test
	void shouldForceTheStopWhenTheGracefulOneFails() {
		this.shell.then(() -> {
			throw new ShellException("'ray' 'stop' did not finish within PT2M", false);
		}).thenExit(0, "Stopped all 5 Ray processes.", "");

		Object event = this.handler.handle(new DecommissionNode(1, "gpu-1", "a100", SPEC, T));

		assertThat(this.shell.commands()).containsExactly("127.10.0.7: 'ray' 'stop' '--grace-period' '16'",
				"127.10.0.7: 'ray' 'stop' '--force'");
		assertThat(event).isInstanceOfSatisfying(Decommissioned.class, (d) -> {
			assertThat(d.stopped()).isTrue();
			assertThat(d.forced()).isTrue();
		});
	}

	NodeCommandHandler handler(NodeAddress.Resolver resolver) {
		return new NodeCommandHandler(this.shell, new RayCommands(List.of("ray"), "127.10.0.1:6379", Map.of(), 8090),
				new RetryTemplate(RetryPolicy.builder()
					.includes(TransientShellException.class)
					.maxRetries(2)
					.delay(Duration.ofMillis(1))
					.build()),
				Duration.ofSeconds(16), Clock.fixed(T, ZoneOffset.UTC), resolver);
	}

	@Test
	void shouldDefaultTheHeadAddressToTheDashboardHostOnPort6379() {
		assertThat(RayCommands.headAddress("", "http://127.11.2.3:8265")).isEqualTo("127.11.2.3:6379");
		assertThat(RayCommands.headAddress(null, "http://ray-head.internal:8265/")).isEqualTo("ray-head.internal:6379");
		assertThat(RayCommands.headAddress("127.19.9.9:7000", "http://127.11.2.3:8265")).isEqualTo("127.19.9.9:7000");
	}

}
