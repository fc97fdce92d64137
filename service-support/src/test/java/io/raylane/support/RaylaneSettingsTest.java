package io.raylane.support;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import io.raylane.topics.TopicPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The common settings bind from the README's environment names and from the all-in-one's
 * property names.
 */
class RaylaneSettingsTest {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ServiceSupportAutoConfiguration.class));

	@Test
	void shouldBindTheEnvironmentNamesOfTheConfigurationTable() {
		RaylaneSettings settings = bindEnvironment(Map.of("RAYLANE_SHARED_ROOT", "/mnt/shared", "RAYLANE_DATA_DIR",
				"/var/lib/raylane", "RAYLANE_RAY_ADDRESS", "http://127.10.0.5:8265", "RAYLANE_USERS_FILE",
				"/etc/raylane/users.yaml", "RAYLANE_KAFKA_REPLICATION_FACTOR", "3", "RAYLANE_KAFKA_MIN_INSYNC_REPLICAS",
				"1", "RAYLANE_JOBS_MAX_TIMEOUT", "7d", "RAYLANE_SHARED_READ_ONLY_ROOTS", "/datasets,/models/public"));

		assertThat(settings.shared().root()).isEqualTo(Path.of("/mnt/shared"));
		assertThat(settings.data().dir()).isEqualTo(Path.of("/var/lib/raylane"));
		assertThat(settings.ray().address()).isEqualTo("http://127.10.0.5:8265");
		assertThat(settings.users().file()).isEqualTo(Path.of("/etc/raylane/users.yaml"));
		assertThat(settings.users().hasFile()).isTrue();
		assertThat(settings.kafka().replicationFactor()).isEqualTo((short) 3);
		assertThat(settings.kafka().topicPolicy()).isEqualTo(new TopicPolicy((short) 3, (short) 1));
		assertThat(settings.jobs().maxTimeout()).isEqualTo(Duration.ofDays(7));
		assertThat(settings.shared().readOnlyRoots()).containsExactly(Path.of("/datasets"), Path.of("/models/public"));
	}

	@Test
	void shouldBindTheRayTokenFromItsEnvironmentNameAndHideItFromToString() {
		RaylaneSettings settings = bindEnvironment(Map.of("RAYLANE_RAY_AUTH_TOKEN", "tok-123"));

		assertThat(settings.ray().authToken()).isEqualTo("tok-123");
		assertThat(settings.ray().resolvedAuthToken()).isEqualTo("tok-123");
		assertThat(settings.toString()).doesNotContain("tok-123").contains("authToken=***");
	}

	@Test
	void shouldReadTheRayTokenFileWithoutItsTrailingNewline(@TempDir Path dir) throws Exception {
		Path file = Files.writeString(dir.resolve("ray_token"), "tok-from-file\n");

		RaylaneSettings settings = bindEnvironment(Map.of("RAYLANE_RAY_AUTH_TOKEN_FILE", file.toString()));

		assertThat(settings.ray().authTokenFile()).isEqualTo(file);
		assertThat(settings.ray().resolvedAuthToken()).isEqualTo("tok-from-file");
	}

	@Test
	void shouldPreferTheTokenToTheFileAndHaveNoneByDefault(@TempDir Path dir) throws Exception {
		Path file = Files.writeString(dir.resolve("ray_token"), "from-file");

		assertThat(new RaylaneSettings.Ray("http://h:8265", "direct", file).resolvedAuthToken()).isEqualTo("direct");
		assertThat(bindEnvironment(Map.of()).ray().resolvedAuthToken()).isNull();
	}

	@Test
	void shouldRefuseAnUnusableTokenWithoutQuotingIt(@TempDir Path dir) throws Exception {
		Path empty = Files.writeString(dir.resolve("empty"), "\n");
		Path twoWords = Files.writeString(dir.resolve("two"), "secret-part other-part");

		assertThatIllegalStateException()
			.isThrownBy(() -> new RaylaneSettings.Ray("http://h:8265", null, empty).resolvedAuthToken())
			.withMessageContaining("is empty");
		assertThatIllegalStateException()
			.isThrownBy(() -> new RaylaneSettings.Ray("http://h:8265", null, twoWords).resolvedAuthToken())
			.withMessageContaining("printable ASCII")
			.withMessageNotContaining("secret-part");
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(
					() -> new RaylaneSettings.Ray("http://h:8265", null, dir.resolve("missing")).resolvedAuthToken())
			.withMessageContaining("raylane.ray.auth-token-file");
	}

	@Test
	void shouldDefaultToTheLocalStacksValues() {
		RaylaneSettings settings = bindEnvironment(Map.of());

		assertThat(absolute(settings.shared().root())).isEqualTo(absolute(Path.of("./.raylane/shared")));
		assertThat(absolute(settings.data().dir())).isEqualTo(absolute(Path.of("./.raylane/data")));
		assertThat(settings.ray().address()).isEqualTo("http://127.0.0.1:8265");
		assertThat(settings.users().hasFile()).isFalse();
		// Kafka's defaults are production's (issue 12): a forgotten setting never leaves
		// a single copy
		assertThat(settings.kafka().topicPolicy()).isEqualTo(TopicPolicy.PRODUCTION);
		assertThat(settings.jobs().maxTimeout()).isEqualTo(Duration.ofDays(30));
		assertThat(settings.shared().readOnlyRoots()).isEmpty();
	}

	@Test
	void shouldTakeASingleBrokersReplicationAndRefuseAMinInsyncNoWriteCouldMeet() {
		assertThat(bindEnvironment(Map.of("RAYLANE_KAFKA_REPLICATION_FACTOR", "1")).kafka().topicPolicy())
			.isEqualTo(TopicPolicy.SINGLE_BROKER);
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> bindEnvironment(
					Map.of("RAYLANE_KAFKA_REPLICATION_FACTOR", "1", "RAYLANE_KAFKA_MIN_INSYNC_REPLICAS", "2")))
			.withStackTraceContaining("raylane.kafka.min-insync-replicas");
	}

	@Test
	void shouldGiveEveryServiceTheSettingsTheAllInOnePassesAndASystemClock() {
		this.contexts
			.withPropertyValues("raylane.shared.root=/tmp/stack/shared", "raylane.data.dir=/tmp/stack/data",
					"raylane.ray.address=http://127.0.0.1:18265", "raylane.users.file=")
			.run((context) -> {
				RaylaneSettings settings = context.getBean(RaylaneSettings.class);
				assertThat(settings.shared().jobDir("rl-1")).isEqualTo(Path.of("/tmp/stack/shared/jobs/rl-1"));
				assertThat(settings.data().dir()).isEqualTo(Path.of("/tmp/stack/data"));
				assertThat(settings.ray().address()).isEqualTo("http://127.0.0.1:18265");
				assertThat(settings.users().hasFile()).isFalse();
				assertThat(context.getBean(Clock.class).getZone()).isEqualTo(ZoneOffset.UTC);
			});
	}

	@Test
	void shouldLeaveTheClockToATestThatBringsItsOwn() {
		Clock fixed = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
		this.contexts.withBean(Clock.class, () -> fixed)
			.run((context) -> assertThat(context.getBean(Clock.class)).isSameAs(fixed));
	}

	private static Path absolute(Path path) {
		return path.toAbsolutePath().normalize();
	}

	private static RaylaneSettings bindEnvironment(Map<String, Object> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		MutablePropertySources sources = environment.getPropertySources();
		sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
				new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						variables));
		return Binder.get(environment).bindOrCreate("raylane", RaylaneSettings.class);
	}

}
