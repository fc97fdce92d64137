package io.raylane.api.code;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.raylane.api.ApiIntegrationTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /v1/code} over HTTP (issue 15): a zip or tar.gz becomes a read-only snapshot
 * whose path a JobSpec can name as {@code code_path}; hostile archives are 400 and leave
 * nothing; snapshots are private.
 */
@Tag("slow")
class CodeApiTest extends ApiIntegrationTestSupport {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final Path SHARED = Path.of("target/it-shared");

	@BeforeEach
	void sharedStorageMounted() throws Exception {
		Files.createDirectories(SHARED);
	}

	@Test
	void shouldStoreAZipAsASnapshotThatAJobCanUseAsItsCodePath() throws Exception {
		// a tree of this run's own (target/it-shared outlives a run: the same tree would
		// be 200)
		String run = java.util.UUID.randomUUID().toString();
		byte[] zip = Archives.zip(Map.of("mine/train.py", "print('alice v1 " + run + "')\n"));

		HttpResponse<String> created = push(ALICE, "verl-mine", "application/zip", zip);

		assertThat(created.statusCode()).isEqualTo(201);
		JsonNode snapshot = json(created);
		assertThat(snapshot.get("name").asString()).isEqualTo("verl-mine");
		String path = snapshot.get("path").asString();
		assertThat(Path.of(path)).isEqualTo(SHARED.toAbsolutePath()
			.normalize()
			.resolve("users/alice/code/verl-mine/" + snapshot.get("hash").asString()));
		assertThat(Files.readString(Path.of(path, "mine/train.py"))).contains("alice v1");
		// the same tree again: the same snapshot, 200
		assertThat(push(ALICE, "verl-mine", "application/zip", zip).statusCode()).isEqualTo(200);
		// listed for its owner only
		assertThat(json(get("/v1/code", ALICE)).get("snapshots").toString()).contains(path);
		assertThat(json(get("/v1/code", BOB)).get("snapshots").toString()).doesNotContain(path);
		// a job may run it
		HttpResponse<String> job = submit(ALICE, "application/json",
				"{\"workload\": \"command\", \"command\": \"python3 -m mine.train\", \"code_path\": \"" + path + "\"}");
		assertThat(job.statusCode()).as(job.body()).isEqualTo(202);
		// another user may not
		HttpResponse<String> bobs = submit(BOB, "application/json",
				"{\"workload\": \"command\", \"command\": \"true\", \"code_path\": \"" + path + "\"}");
		assertThat(bobs.statusCode()).isEqualTo(400);
		assertThat(json(bobs).get("field").asString()).isEqualTo("code_path");
	}

	@Test
	void shouldRefuseAHostileArchiveNamingTheEntryAndWriteNothing() throws Exception {
		byte[] slip = Archives.tarGz(Map.of("ok.py", "1", "../../../escape.py", "2"));

		HttpResponse<String> refused = push(ALICE, "evil", "application/gzip", slip);

		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(json(refused).get("error").asString()).isEqualTo("invalid_archive");
		assertThat(json(refused).get("field").asString()).isEqualTo("../../../escape.py");
		assertThat(SHARED.resolve("users/alice/code/evil")).doesNotExist();
		assertThat(Path.of("escape.py")).doesNotExist();
	}

	@Test
	void shouldRefuseABadNameAndAnotherMediaType() throws Exception {
		byte[] zip = Archives.zip(Map.of("a.py", "1"));

		HttpResponse<String> badName = push(ALICE, "../x", "application/zip", zip);
		HttpResponse<String> tar = push(ALICE, "x", "application/x-tar", zip);
		HttpResponse<String> anonymous = push(null, "x", "application/zip", zip);

		assertThat(badName.statusCode()).isEqualTo(400);
		assertThat(json(badName).get("field").asString()).isEqualTo("name");
		assertThat(tar.statusCode()).isEqualTo(415);
		assertThat(anonymous.statusCode()).isEqualTo(401);
	}

	private HttpResponse<String> push(String token, String name, String contentType, byte[] body) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/code?name="
					+ java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
