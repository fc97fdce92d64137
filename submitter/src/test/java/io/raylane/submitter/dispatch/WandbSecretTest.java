package io.raylane.submitter.dispatch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.raylane.rayclient.wire.RayJobSubmitRequest;
import io.raylane.rayclient.wire.RayJson;
import io.raylane.submitter.jobdir.JobDirectories;
import io.raylane.submitter.jobdir.JobSecrets;
import io.raylane.submitter.ray.RayJobsClient;
import io.raylane.submitter.ray.StopOutcome;
import io.raylane.submitter.ray.SubmitOutcome;
import io.raylane.topics.events.SubmitFailed;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.job.DataSpec;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.ModelSpec;
import io.raylane.topics.job.Resources;
import io.raylane.topics.job.WandbSpec;
import io.raylane.topics.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What of a W&amp;B job's secrets goes where: paths and the redacted URL to Ray, the key
 * and the full URL to the job's own files.
 */
class WandbSecretTest {

	static final String URL = "https://ana:url-s3cret@wandb.example:8443/?token=q-s3cret";

	static final String REDACTED = "https://***@wandb.example:8443/?token=***";

	static final String KEY = "wk-0123456789";

	static final Path SECRETS = Path.of("/shared/jobs/j1/secrets");

	@TempDir
	Path root;

	WandbSecret wandb;

	@BeforeEach
	void keyFile() throws IOException {
		this.wandb = new WandbSecret(URL, Files.writeString(this.root.resolve("wandb.key"), KEY + "\n"));
	}

	static JobSpec spec(boolean wandb, Map<String, String> env) {
		return new JobSpec("w", "ppo", null, "default", Resources.of(1, 1), null, env, null, null,
				new ModelSpec("/s/m"), new DataSpec(List.of("/s/d.parquet"), null), null, null, null, null,
				new WandbSpec(wandb, "p", "r"), null);
	}

	static RayJobSubmitRequest request(Map<String, String> env) {
		return new RayJobSubmitRequest("python -m train", "j1", Map.of("env_vars", env), Map.of(), null, null,
				Map.of());
	}

	@Test
	void shouldSendOnlyTheRedactedUrlAndPathsToRay() {
		RayJobSubmitRequest recorded = this.wandb.withBaseUrl(request(Map.of("A", "1")), spec(true, Map.of()));
		RayJobSubmitRequest sent = this.wandb.readingSecrets(recorded, SECRETS);

		assertThat(sent.runtimeEnv()).isEqualTo(Map.of("env_vars",
				Map.of("A", "1", "WANDB_BASE_URL", REDACTED, "NETRC", "/shared/jobs/j1/secrets/netrc")));
		assertThat(sent.entrypoint())
			.isEqualTo("set -a; . '/shared/jobs/j1/secrets/env' || exit 1; set +a; python -m train");
		assertThat(RayJson.mapper().writeValueAsString(sent)).doesNotContain(KEY, "url-s3cret", "q-s3cret");
	}

	@Test
	void shouldPutTheKeyAndTheFullUrlIntoTheJobsSecrets() {
		RayJobSubmitRequest recorded = this.wandb.withBaseUrl(request(Map.of()), spec(true, Map.of()));

		JobSecrets secrets = this.wandb.secrets(KEY, recorded);

		assertThat(secrets.env()).isEqualTo(Map.of("WANDB_API_KEY", KEY, "WANDB_BASE_URL", URL));
		assertThat(secrets.netrc()).isEqualTo("machine wandb.example\n  login user\n  password " + KEY + "\n");
		assertThat(secrets.toString()).doesNotContain(KEY, "url-s3cret");
	}

	@Test
	void shouldKeepAJobsOwnBaseUrlAndNetrc() {
		Map<String, String> own = Map.of("WANDB_BASE_URL", "https://mine.example", "NETRC", "/home/me/.netrc");
		RayJobSubmitRequest recorded = this.wandb.withBaseUrl(request(own), spec(true, own));

		assertThat(this.wandb.readingSecrets(recorded, SECRETS).runtimeEnv()).isEqualTo(Map.of("env_vars", own));
		assertThat(this.wandb.secrets(KEY, recorded).env()).isEqualTo(Map.of("WANDB_API_KEY", KEY));
	}

	@Test
	void shouldNeedNoUrlSecretForAPlainBaseUrlOrNone() {
		WandbSecret plain = new WandbSecret("https://wandb.corp", (Path) null);
		RayJobSubmitRequest recorded = plain.withBaseUrl(request(Map.of()), spec(true, Map.of()));

		assertThat(plain.secrets(KEY, recorded).env()).isEqualTo(Map.of("WANDB_API_KEY", KEY));
		assertThat(plain.host()).isEqualTo("wandb.corp");
		assertThat(WandbSecret.none().host()).isEqualTo("api.wandb.ai");
	}

	@Test
	void shouldRefuseAKeyANetrcCannotCarryWithoutQuotingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.wandb.secrets("wk-part other", request(Map.of())))
			.withMessageNotContaining("wk-part");
	}

	@Test
	void shouldLeaveAJobWithoutWandbAlone() {
		RayJobSubmitRequest plain = request(Map.of("A", "1"));

		assertThat(this.wandb.withBaseUrl(plain, spec(false, Map.of()))).isSameAs(plain);
	}

	@Test
	void shouldScrubTheConfiguredKeyAndUrlFromAnyText() {
		assertThat(this.wandb.scrub("503 for " + URL + " with key " + KEY))
			.isEqualTo("503 for " + REDACTED + " with key ***");
		assertThat(WandbSecret.none().scrub("nothing to hide")).isEqualTo("nothing to hide");
	}

	@Test
	void shouldNotPrintTheUrlsSecrets() {
		assertThat(this.wandb.toString()).contains(REDACTED).doesNotContain("url-s3cret", "q-s3cret");
	}

	@Test
	void shouldKeepSecretsOutOfTheFailureWhenRayQuotesTheRequest() {
		// a Ray that answers with the whole request it refused
		RayJobsClient quoting = new RayJobsClient() {
			@Override
			public SubmitOutcome submit(RayJobSubmitRequest request) {
				return new SubmitOutcome.Failed(false,
						"ValueError: bad request " + RayJson.mapper().writeValueAsString(request));
			}

			@Override
			public StopOutcome stop(String jobId) {
				throw new UnsupportedOperationException();
			}

			@Override
			public Optional<String> logs(String jobId) {
				throw new UnsupportedOperationException();
			}

			@Override
			public boolean delete(String jobId) {
				throw new UnsupportedOperationException();
			}

			@Override
			public java.util.Set<String> submissionIds() {
				throw new UnsupportedOperationException();
			}
		};
		DispatchHandler handler = new DispatchHandler(new JobDirectories(this.root, "http://ray:8265"), quoting,
				Clock.fixed(Instant.parse("2026-02-01T10:00:00Z"), ZoneOffset.UTC), this.wandb);
		SubmitToRay command = new SubmitToRay(1, "j1", "alice", "default", spec(true, Map.of()), "echo train", Map.of(),
				Map.of("raylane-pool-default", 1.0), Map.of(), null, List.of());

		SubmitFailed failed = (SubmitFailed) handler.handle(command);

		assertThat(failed.reason()).contains("ValueError", "NETRC", REDACTED).doesNotContain("WANDB_API_KEY");
		assertThat(Json.writeString(failed)).doesNotContain(KEY, "url-s3cret", "q-s3cret");
	}

}
