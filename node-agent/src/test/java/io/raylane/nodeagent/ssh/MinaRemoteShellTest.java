package io.raylane.nodeagent.ssh;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.raylane.topics.node.NodeSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The MINA adapter against a real MINA SSHD server running a real shell. */
class MinaRemoteShellTest {

	@TempDir
	Path dir;

	Path key;

	Path knownHosts;

	TestSshServer server;

	MinaRemoteShell shell;

	@BeforeEach
	void startServer() throws Exception {
		this.key = TestKeys.generate(this.dir.resolve("id_ed25519"), "ed25519");
		this.knownHosts = this.dir.resolve("known_hosts");
		this.server = TestSshServer.start("127.0.0.1", this.dir.resolve("host.key"), TestKeys.publicKey(this.key),
				null);
	}

	@AfterEach
	void stop() throws IOException {
		if (this.shell != null) {
			this.shell.close();
		}
		this.server.close();
	}

	MinaRemoteShell shell(boolean acceptNew) {
		this.shell = new MinaRemoteShell(new SshSettings(this.key, this.dir.resolve("keys"), this.knownHosts, acceptNew,
				Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), 2, 5));
		return this.shell;
	}

	NodeSpec node(int port) {
		return new NodeSpec("n1", "127.0.0.1", port, System.getProperty("user.name"), "default", Map.of(), 0, null);
	}

	@Test
	void shouldRunACommandWithAnEd25519KeyAndReportExitCodeAndTails() throws IOException {
		this.server.trustIn(this.knownHosts);

		CommandResult result = shell(false).run(node(this.server.port()),
				List.of("sh", "-c", "for i in 1 2 3 4 5 6 7; do echo line$i; done; echo oops >&2; exit 3"));

		assertThat(result.exitCode()).isEqualTo(3);
		assertThat(result.stdoutTail()).isEqualTo("line3\nline4\nline5\nline6\nline7");
		assertThat(result.stderrTail()).isEqualTo("oops");
	}

	@Test
	void shouldPassHostileArgumentsLiterallySoNothingIsExecuted() throws IOException {
		this.server.trustIn(this.knownHosts);
		Path pwned = this.dir.resolve("pwned");
		List<String> hostile = List.of("x;touch " + pwned, "$(touch " + pwned + ")", "`touch " + pwned + "`",
				"it's \"quoted\" && id");

		CommandResult result = shell(false).run(node(this.server.port()),
				java.util.stream.Stream.concat(java.util.stream.Stream.of("printf", "[%s]\\n"), hostile.stream())
					.toList());

		assertThat(result.exitCode()).isZero();
		assertThat(result.stdoutTail())
			.isEqualTo(String.join("\n", hostile.stream().map((h) -> "[" + h + "]").toList()));
		assertThat(pwned).doesNotExist();
	}

	@Test
	void shouldRefuseAnUnknownHostKeyInStrictModeWithAClearReason() {
		assertThatThrownBy(() -> shell(false).run(node(this.server.port()), List.of("true")))
			.isInstanceOfSatisfying(ShellException.class, (ex) -> assertThat(ex.transientFailure()).isFalse())
			.hasMessageContaining("is not in the known_hosts file " + this.knownHosts)
			.hasMessageContaining("RAYLANE_SSH_ACCEPT_NEW_HOST_KEYS=true");
	}

	@Test
	void shouldAcceptAndRecordANewHostKeyInAcceptNewMode() throws IOException {
		CommandResult result = shell(true).run(node(this.server.port()), List.of("true"));

		assertThat(result.exitCode()).isZero();
		assertThat(Files.readString(this.knownHosts)).contains("[127.0.0.1]:" + this.server.port());
	}

	@Test
	void shouldRefuseAChangedHostKeyEvenInAcceptNewMode() throws Exception {
		Path otherKey = TestKeys.generate(this.dir.resolve("other"), "ed25519");
		Files.writeString(this.knownHosts,
				"[127.0.0.1]:" + this.server.port() + " " + Files.readString(Path.of(otherKey + ".pub")).trim() + "\n");

		assertThatThrownBy(() -> shell(true).run(node(this.server.port()), List.of("true")))
			.isInstanceOf(ShellException.class)
			.hasMessageContaining("CHANGED");
	}

	@Test
	void shouldRefuseAWrongKeyWithAClearReason() throws Exception {
		this.server.trustIn(this.knownHosts);
		this.key = TestKeys.generate(this.dir.resolve("wrong"), "ecdsa");

		assertThatThrownBy(() -> shell(false).run(node(this.server.port()), List.of("true")))
			.isInstanceOfSatisfying(ShellException.class, (ex) -> assertThat(ex.transientFailure()).isFalse())
			.hasMessageContaining("refused the key " + this.key);
	}

	@Test
	void shouldReportAnUnreachableHostAsTransient() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		int port = closedPort;
		assertThatThrownBy(() -> shell(false).run(node(port), List.of("true")))
			.isInstanceOf(TransientShellException.class)
			.hasMessageContaining("cannot connect to");
	}

	@Test
	void shouldReuseOneSessionForCommandsToTheSameNode() throws IOException {
		this.server.trustIn(this.knownHosts);
		MinaRemoteShell shell = shell(false);

		shell.run(node(this.server.port()), List.of("true"));
		shell.run(node(this.server.port()), List.of("true"));

		assertThat(this.server.sessions()).isEqualTo(1);
	}

	@Test
	void shouldNeverPutKeyMaterialInAReason() throws Exception {
		Files.writeString(this.key, "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n");

		assertThatThrownBy(() -> shell(false).run(node(this.server.port()), List.of("true")))
			.isInstanceOf(ShellException.class)
			.hasMessageContaining("cannot read the SSH key file")
			.hasMessageNotContaining("c2VjcmV0");
	}

}
