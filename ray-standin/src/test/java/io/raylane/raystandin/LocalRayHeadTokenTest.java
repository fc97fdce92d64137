package io.raylane.raystandin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local head with a token answers as Ray 2.60 with {@code RAY_AUTH_MODE=token} does
 * (ray-cluster/transcripts/auth-2.60.0.txt): 401 without a token, 403 with a wrong one or
 * one without {@code Bearer }, the three ways of sending it, the public routes; and the
 * {@code ray} stand-in joins it only with the token.
 */
class LocalRayHeadTokenTest {

	static final String TOKEN = "5ec12e7-local-head-token";

	@TempDir
	Path dir;

	@AutoClose
	LocalRayHead head;

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeEach
	void start() {
		this.head = LocalRayHead.start(LocalRayHeadConfig.defaults(this.dir.resolve("head"))
			.withPort(0)
			.withWorkers(1, 4, "default")
			.withAuthToken(TOKEN));
	}

	HttpResponse<String> get(String path, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.head.address() + path)).GET();
		if (headers.length > 0) {
			request.headers(headers);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void shouldRefuseARequestWithoutTheTokenAs401AndAWrongOneAs403() throws Exception {
		for (String path : List.of("/api/version", "/api/jobs/", "/api/v0/nodes?limit=1", "/api/jobs/nope",
				"/no/such/route", "/raylane-local/v1/nodes")) {
			HttpResponse<String> missing = get(path);
			assertThat(missing.statusCode()).as(path).isEqualTo(401);
			assertThat(missing.body()).isEqualTo("Unauthorized: Missing authentication token");
			assertThat(missing.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain"));
		}
		HttpResponse<String> wrong = get("/api/jobs/", "Authorization", "Bearer wrong");
		assertThat(wrong.statusCode()).isEqualTo(403);
		assertThat(wrong.body()).isEqualTo("Forbidden: Invalid authentication token");
		assertThat(get("/api/jobs/", "Authorization", TOKEN).statusCode()).as("without 'Bearer '").isEqualTo(403);
	}

	@Test
	void shouldAcceptTheTokenInEachOfRaysThreePlaces() throws Exception {
		assertThat(get("/api/version", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
		assertThat(get("/api/v0/nodes?limit=1", "X-Ray-Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
		assertThat(get("/api/version", "Cookie", "other=1; ray-authentication-token=" + TOKEN).statusCode())
			.isEqualTo(200);
	}

	@Test
	void shouldLeaveRaysPublicRoutesOpenAndSayTheModeIsToken() throws Exception {
		assertThat(get("/api/gcs_healthz").statusCode()).isEqualTo(200);
		HttpResponse<String> mode = get("/api/authentication_mode");
		assertThat(mode.statusCode()).isEqualTo(200);
		assertThat(RayHttp.json(mode).get("authentication_mode").asString()).isEqualTo("token");
	}

	@Test
	void shouldSayTheModeIsDisabledWithoutAToken() throws Exception {
		try (LocalRayHead open = LocalRayHead
			.start(LocalRayHeadConfig.defaults(this.dir.resolve("open")).withPort(0).withWorkers(0, 0, "default"))) {
			HttpResponse<String> mode = this.http.send(
					HttpRequest.newBuilder(URI.create(open.address() + "/api/authentication_mode")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(RayHttp.json(mode).get("authentication_mode").asString()).isEqualTo("disabled");
		}
	}

	@Test
	void shouldNotShowTheTokenInItsConfiguration() {
		assertThat(this.head.config().toString()).doesNotContain(TOKEN).contains("authToken=***");
	}

	@Test
	void shouldLetTheRayStandInJoinOnlyWithTheToken() throws Exception {
		Path ray = RayStandIn.install(this.dir.resolve("bin"));
		String address = "--address=127.0.0.1:" + this.head.port();

		assertThat(run(ray, Map.of(), "start", address, "--num-gpus=2", "--node-ip-address=127.0.0.40").exit())
			.as("no token at all")
			.isEqualTo(1);
		Run noToken = run(ray, Map.of("RAY_AUTH_MODE", "token"), "start", address, "--node-ip-address=127.0.0.40");
		assertThat(noToken.exit()).isEqualTo(1);
		assertThat(noToken.out()).contains("no authentication token was found");
		Run joined = run(ray, Map.of("RAY_AUTH_MODE", "token", "RAY_AUTH_TOKEN", TOKEN), "start", address,
				"--num-gpus=2", "--node-ip-address=127.0.0.40");
		assertThat(joined.exit()).as(joined.out()).isZero();
		assertThat(this.head.aliveWorkers()).hasSize(2);
		java.nio.file.Path tokenFile = java.nio.file.Files.writeString(this.dir.resolve("token"), TOKEN + "\n");
		Run left = run(ray, Map.of("RAY_AUTH_MODE", "token", "RAY_AUTH_TOKEN_PATH", tokenFile.toString()), "stop");
		assertThat(left.out()).isEqualTo("Stopped all 1 Ray processes.");
		assertThat(this.head.aliveWorkers()).hasSize(1);
	}

	record Run(int exit, String out) {
	}

	Run run(Path ray, Map<String, String> env, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(ray.toString()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().keySet().removeIf((name) -> name.startsWith("RAY_"));
		builder.environment().put("RAYLANE_RAY_STANDIN_DIR", this.dir.resolve("state").toString());
		builder.environment().put("HOME", this.dir.toString());
		builder.environment().putAll(env);
		Process process = builder.start();
		String out = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new Run(process.exitValue(), out.trim());
	}

}
