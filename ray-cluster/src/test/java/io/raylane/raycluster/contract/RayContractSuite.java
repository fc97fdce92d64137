package io.raylane.raycluster.contract;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.raylane.rayclient.RayHttp;
import io.raylane.rayclient.wire.LogFileRoute;
import io.raylane.rayclient.wire.LogTailAnswers;
import io.raylane.rayclient.wire.LogTails;
import io.raylane.rayclient.wire.RayActorState;
import io.raylane.rayclient.wire.RayContract;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayJobSubmitRequest;
import io.raylane.rayclient.wire.RayJson;
import io.raylane.rayclient.wire.RayListResponse;
import io.raylane.rayclient.wire.RayNodeState;
import io.raylane.rayclient.wire.RayPlacementGroupState;
import io.raylane.rayclient.wire.StateListRoute;
import io.raylane.support.metrics.PrometheusText;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The one Ray contract: what Raylane relies on from Ray's dashboard (Jobs API, State API
 * nodes, actors, placement groups), node metrics and service discovery, each case
 * asserting what the real Ray 2.60.0 does (docs/reference/ray-http.md,
 * ray-cluster/FINDINGS.md). A subclass per Ray: the real head
 * ({@code RealRayHeadContractTest}), the all-in-one's {@code LocalRayHead} and the
 * services' scripted {@code FakeRayHeadFixture}, so an imitation that drifts from Ray
 * fails the build. Calls go through Raylane's own client ({@link RayHttp}, the wire
 * records of {@code io.raylane.rayclient.wire}).
 *
 * <p>
 * A scripted head runs no entrypoint: it moves a job only when the suite tells it
 * ({@link #actAsRay}), and a subclass declares cases it cannot take part in (node
 * lifecycle, metrics) with {@code Assumptions.abort} and the reason.
 */
public abstract class RayContractSuite {

	static final String POOL = "default";

	static final String POOL_RESOURCE = RayContract.poolResource(POOL);

	/** The 15 keys of JobDetails, in Ray's order. */
	static final List<String> JOB_DETAILS_KEYS = List.of("type", "job_id", "submission_id", "driver_info", "status",
			"entrypoint", "message", "error_type", "start_time", "end_time", "metadata", "runtime_env",
			"driver_agent_http_address", "driver_node_id", "driver_exit_code");

	static final String PENDING_FOR_RESOURCES = "Job has not started yet. It may be waiting for resources (CPUs, GPUs, "
			+ "memory, custom resources) to become available.";

	static final String HEALTH_CHECK_DEATH = "Unexpected termination: health check failed due to missing too many "
			+ "heartbeats";

	private static final String RUN = "c" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);

	RayCalls ray;

	/** The dashboard's URL, {@code http://<head>:<port>}. */
	protected abstract String dashboardUrl();

	/** The token to send, for a head with token authentication. */
	protected Optional<String> authToken() {
		return Optional.empty();
	}

	/**
	 * The IPs of the head's workers of pool {@code default}, ALIVE when a case starts.
	 */
	protected abstract List<String> workerIps();

	protected abstract int gpusPerWorker();

	/** Whether entrypoints really run (false for a scripted head). */
	protected abstract boolean runsEntrypoints();

	/** How long Ray may take to move a job or notice a node. */
	protected abstract Duration patience();

	/**
	 * A scripted head moves job {@code id} to {@code status} as Ray would; a real or
	 * simulating head does it by itself, so this does nothing there.
	 */
	protected void actAsRay(String id, String status) {
	}

	/** {@code http://<node ip>:<metrics export port>/metrics} of a node. */
	protected abstract String metricsUrl(String nodeIp);

	/** The Prometheus file-SD list the head writes. */
	protected abstract Path serviceDiscoveryFile();

	/** The worker's raylet dies (SIGKILL): Ray must notice on its own. */
	protected abstract void killWorker(String ip);

	/** {@code ray stop} and {@code ray start} again on the worker's host. */
	protected abstract void rejoinWorker(String ip);

	@BeforeEach
	void connect() {
		this.ray = new RayCalls(dashboardUrl(), authToken());
	}

	// --- submit
	// ------------------------------------------------------------------------------------------------

	@Test
	void submitIsAcceptedWithBothIdsAndTheJobRunsOnAWorkerWithItsEnvVars() {
		String id = id("submit");
		String entrypoint = "echo contract-$RAYLANE_CONTRACT_VAR; sh -c 'echo child-$RAYLANE_CONTRACT_VAR'";
		RayJobSubmitRequest request = new RayJobSubmitRequest(entrypoint, id,
				Map.of("env_vars", Map.of("RAYLANE_CONTRACT_VAR", "v1")), metadata(id), null, null,
				Map.of(POOL_RESOURCE, 1.0));
		long before = System.currentTimeMillis();
		this.ray.submitted(request);

		RayCalls.Answer answer = this.ray.get("/api/jobs/" + id);
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.json().propertyNames()).containsExactlyElementsOf(JOB_DETAILS_KEYS);
		RayJobDetails job = answer.as(RayJobDetails.class);
		assertThat(job.type()).isEqualTo(RayJobDetails.TYPE_SUBMISSION);
		assertThat(job.submissionId()).isEqualTo(id);
		assertThat(job.entrypoint()).isEqualTo(entrypoint);
		assertThat(job.metadata()).isEqualTo(metadata(id));
		assertThat(job.runtimeEnv()).isEqualTo(request.runtimeEnv());
		assertThat(job.startTime()).isBetween(before - 5_000, System.currentTimeMillis() + 5_000);
		assertThat(job.status()).isIn(RayContract.STATUS_PENDING, RayContract.STATUS_RUNNING,
				RayContract.STATUS_SUCCEEDED);
		assertNoDriverInfo(job);

		actAsRay(id, RayContract.STATUS_RUNNING);
		actAsRay(id, RayContract.STATUS_SUCCEEDED);
		RayJobDetails done = this.ray.awaitStatus(id, patience(), RayContract.STATUS_SUCCEEDED,
				RayContract.STATUS_FAILED);
		assertThat(done.status()).as(done.message()).isEqualTo(RayContract.STATUS_SUCCEEDED);
		assertThat(done.message()).isEqualTo("Job finished successfully.");
		assertThat(done.errorType()).isNull();
		assertThat(done.driverExitCode()).isZero();
		assertThat(done.endTime()).isGreaterThanOrEqualTo(done.startTime());
		assertNoDriverInfo(done);
		RayNodeState driverNode = node(done.driverNodeId());
		assertThat(driverNode.isHeadNode()).as("a pool job's driver never runs on the head").isFalse();
		assertThat(workerIps()).contains(driverNode.nodeIp());
		assertThat(URI.create(done.driverAgentHttpAddress()).getHost()).isEqualTo(driverNode.nodeIp());

		String logs = this.ray.logs(id);
		assertThat(logs).contains("Running entrypoint for job " + id + ": " + entrypoint);
		if (runsEntrypoints()) {
			assertThat(logs).contains("contract-v1\n").contains("child-v1\n");
		}
	}

	@Test
	void nullValuedKeysAreDroppedBeforeValidation() {
		String id = id("nulls");
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("entrypoint", "true");
		body.put("submission_id", id);
		body.put("runtime_env", null);
		body.put("entrypoint_num_gpus", null);
		body.put("entrypoint_resources", Map.of(POOL_RESOURCE, 1));
		RayCalls.Answer answer = this.ray.post("/api/jobs/", RayJson.mapper().writeValueAsString(body));
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		assertThat(this.ray.job(id).runtimeEnv()).isNull();
		finish(id);
	}

	@Test
	void aReusedSubmissionIdIsA500WithTheDuplicateMarker() {
		String id = id("dup");
		RayJobSubmitRequest request = quick(id);
		this.ray.submitted(request);

		String text = this.ray.submit(request).text(500);
		assertThat(text).contains(RayContract.DUPLICATE_SUBMISSION_MARKER)
			.contains("Job with submission_id " + id + " already exists. Please use a different submission_id.");
		assertThat(this.ray.job(id).entrypoint()).isEqualTo(request.entrypoint());
		finish(id);
	}

	@Test
	void aKeyRayDoesNotKnowIsA400TypeErrorAndNoJob() {
		for (String key : List.of("bogus_field", "retry_policy")) {
			String id = id("unknown");
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("entrypoint", "true");
			body.put("submission_id", id);
			body.put(key, Map.of("max_retries", 1));
			String text = this.ray.post("/api/jobs/", RayJson.mapper().writeValueAsString(body)).text(400);
			assertThat(text.strip())
				.endsWith("TypeError: JobSubmitRequest.__init__() got an unexpected keyword argument '" + key + "'");
			assertThat(this.ray.get("/api/jobs/" + id).text(404)).isEqualTo("Job " + id + " does not exist");
		}
		String text = this.ray
			.post("/api/jobs/",
					"{\"entrypoint\": \"true\", \"submission_id\": \"" + id("md") + "\", \"metadata\": {\"a\": 1}}")
			.text(400);
		assertThat(text.strip()).endsWith("TypeError: metadata values must be strings, got <class 'int'>");
	}

	@Test
	void aBodyThatIsNotJsonIsA500() {
		RayCalls.Answer answer = this.ray.post("/api/jobs/", "not json");
		assertThat(answer.text(500)).isEqualTo("500 Internal Server Error\n\nServer got itself in trouble");
	}

	// --- stop, logs, delete
	// ------------------------------------------------------------------------------------

	@Test
	void stopOfARunningJobTermsItsEntrypointAndEndsItStopped() {
		String id = id("stop");
		this.ray.submitted(sleeper(id, "trap 'echo got-SIGTERM; exit 143' TERM; echo started; sleep 300 & wait"));
		awaitRunning(id, "started");

		assertThat(this.ray.stop(id)).isEqualTo(Map.of("stopped", true));
		RayJobDetails stopped = this.ray.awaitStatus(id, patience(), RayContract.STATUS_STOPPED);
		assertThat(stopped.message()).isEqualTo("Job was intentionally stopped.");
		assertThat(stopped.driverExitCode()).isNull();
		assertThat(stopped.errorType()).isNull();
		assertThat(stopped.endTime()).isGreaterThanOrEqualTo(stopped.startTime());
		if (runsEntrypoints()) {
			assertThat(this.ray.logs(id)).contains("got-SIGTERM");
		}
		assertThat(this.ray.stop(id)).as("a second stop").isEqualTo(Map.of("stopped", false));
	}

	@Test
	void stopOfAPendingJobAnswersStoppedButTheJobStaysPending() {
		String blocker = id("block");
		String pending = id("pend");
		holdEveryGpuOfTheFirstWorker(blocker);
		this.ray.submitted(onFirstWorkerWithEveryGpu(pending, "echo pending-entrypoint-ran; sleep 300"));
		RayJobDetails waiting = this.ray.job(pending);
		assertThat(waiting.status()).isEqualTo(RayContract.STATUS_PENDING);
		assertThat(waiting.message()).isEqualTo(PENDING_FOR_RESOURCES);
		assertThat(this.ray.logs(pending)).as("no driver yet, no log").isEmpty();
		assertThat(this.ray.get(logFile("submission_id", pending, "node_id", aliveAt(workerIps().get(0)).nodeId()))
			.text(500)).isEqualTo(LogTailAnswers.noDriverNode(pending));
		assertThat(this.ray.delete("/api/jobs/" + pending).text(500))
			.contains("Attempted to delete job '" + pending + "', but it is in a non-terminal state PENDING.");

		assertThat(this.ray.stop(pending)).isEqualTo(Map.of("stopped", true));
		// long enough for a stop to take effect (Ray: under a second for a running job)
		sleep(patience().dividedBy(30));
		assertThat(this.ray.job(pending).status())
			.as("Ray only queues the stop of a job whose supervisor is not " + "scheduled")
			.isEqualTo(RayContract.STATUS_PENDING);
		assertThat(this.ray.job(pending).endTime()).isNull();

		this.ray.stop(blocker);
		this.ray.awaitStatus(blocker, patience(), RayContract.STATUS_STOPPED);
		if (runsEntrypoints()) {
			this.ray.awaitStatus(pending, patience(), RayContract.STATUS_STOPPED);
		}
	}

	@Test
	void aStoppedPendingJobStillStartsItsEntrypointOnceResourcesFreeThenEndsStopped() {
		String blocker = id("block");
		String pending = id("pend");
		holdEveryGpuOfTheFirstWorker(blocker);
		this.ray.submitted(onFirstWorkerWithEveryGpu(pending, "echo pending-entrypoint-ran; sleep 300"));
		assertThat(this.ray.stop(pending)).isEqualTo(Map.of("stopped", true));
		sleep(Duration.ofSeconds(1));

		this.ray.stop(blocker);
		this.ray.awaitStatus(blocker, patience(), RayContract.STATUS_STOPPED);
		RayJobDetails ended = this.ray.awaitStatus(pending, patience(), RayContract.STATUS_STOPPED,
				RayContract.STATUS_FAILED, RayContract.STATUS_SUCCEEDED);
		assertThat(ended.status()).isEqualTo(RayContract.STATUS_STOPPED);
		assertThat(ended.message()).isEqualTo("Job was intentionally stopped.");
		assertThat(ended.driverNodeId()).as("its supervisor was scheduled after all").isNotNull();
		assertThat(this.ray.logs(pending)).as("the entrypoint was started before the queued stop reached it")
			.contains("Running entrypoint for job " + pending);
	}

	@Test
	void deleteIsRefusedForARunningJobAndRemovesAFinishedOne() {
		String running = id("del-run");
		this.ray.submitted(sleeper(running, "echo started; sleep 300"));
		awaitRunning(running, "started");
		String text = this.ray.delete("/api/jobs/" + running).text(500);
		assertThat(text)
			.contains("Attempted to delete job '" + running + "', but it is in a non-terminal state RUNNING.");
		assertThat(this.ray.job(running).status()).isEqualTo(RayContract.STATUS_RUNNING);

		this.ray.stop(running);
		this.ray.awaitStatus(running, patience(), RayContract.STATUS_STOPPED);
		assertDeleted(running);

		String succeeded = id("del-ok");
		this.ray.submitted(quick(succeeded));
		finish(succeeded);
		assertDeleted(succeeded);
	}

	@Test
	void everyJobRouteAnswers404ForAnUnknownJob() {
		String nope = id("nope");
		String expected = "Job " + nope + " does not exist";
		assertThat(this.ray.get("/api/jobs/" + nope).text(404)).isEqualTo(expected);
		assertThat(this.ray.post("/api/jobs/" + nope + "/stop", null).text(404)).isEqualTo(expected);
		assertThat(this.ray.get("/api/jobs/" + nope + "/logs").text(404)).isEqualTo(expected);
		assertThat(this.ray.delete("/api/jobs/" + nope).text(404)).isEqualTo(expected);
	}

	// --- the State API's log route: a driver log's bounded tail (issue 13 item 6)
	// -------------------------------------

	/**
	 * What the observer reads for progress: the last lines of {@code job-driver-<id>.log}
	 * on the driver's node, read by that node's log agent (a last line without its
	 * newline counts). Ray 2.60 takes a node beside the file or the submission id; a
	 * submission id alone is refused with aiohttp's bare 500 page before anything is read
	 * ({@code GetLogOptions}), which is what the observer used to send.
	 */
	@Test
	void theStateApiServesTheLastLinesOfADriverLogOnItsNode() {
		String id = id("tail");
		// Ray's supervisor writes its "Running entrypoint" line after starting the
		// entrypoint, so its place among the first output is a race; the last output
		// (no newline) comes with the stop
		this.ray.submitted(sleeper(id, "trap 'printf stopped-partial; exit 143' TERM; "
				+ "for i in $(seq 1 30); do echo tail-line-$i; done; sleep 300 & wait"));
		String node = awaitRunning(id, "tail-line-30").driverNodeId();
		await().atMost(patience()).until(() -> this.ray.logs(id).contains("Running entrypoint for job " + id));
		String whole = this.ray.logs(id);
		String byFile = logFile("node_id", node, "filename", LogFileRoute.driverLogFile(id));

		RayCalls.Answer tail = this.ray.get(byFile + "&lines=2&filter_ansi_code=true");
		assertThat(tail.status()).as(tail.body()).isEqualTo(200);
		assertThat(tail.contentType()).isEqualTo("text/plain");
		assertThat(tail.body()).isEqualTo(LogTails.last(whole, 2, Integer.MAX_VALUE));
		if (runsEntrypoints()) {
			assertThat(tail.body()).contains("tail-line-30\n");
		}
		assertThat(this.ray.get(logFile("submission_id", id, "node_id", node, "lines", "2")).body())
			.as("a submission id resolves to the same file")
			.isEqualTo(tail.body());
		assertThat(this.ray.get(byFile + "&lines=-1").body()).as("-1: the whole file").isEqualTo(whole);
		assertThat(this.ray.get(logFile("submission_id", id, "lines", "2")).text(500))
			.isEqualTo(LogFileRoute.SERVER_TROUBLE);

		this.ray.stop(id);
		this.ray.awaitStatus(id, patience(), RayContract.STATUS_STOPPED);
		String last = this.ray.get(byFile + "&lines=2").body();
		assertThat(last).as("the file outlives its job")
			.isEqualTo(LogTails.last(this.ray.logs(id), 2, Integer.MAX_VALUE));
		if (runsEntrypoints()) {
			assertThat(last).as("a last line without its newline counts").endsWith("\nstopped-partial");
			assertThat(last.lines()).hasSize(2);
		}
	}

	@Test
	void theLogRouteAnswersRaysReasonWhereThereIsNoLog() {
		String nope = id("nope");
		String worker = aliveAt(workerIps().get(0)).nodeId();
		assertThat(this.ray.get(logFile("submission_id", nope, "node_id", worker, "lines", "5")).text(500))
			.isEqualTo(LogTailAnswers.notFound(nope));
		// a file the node does not have: Ray 2.60 answers either (about half each, for
		// the same request): its agent's error reaches the head or the stream just ends
		RayCalls.Answer missing = this.ray
			.get(logFile("node_id", worker, "filename", LogFileRoute.driverLogFile(nope)));
		if (missing.status() == 200) {
			assertThat(missing.body()).isEmpty();
		}
		else {
			assertThat(missing.text(500)).startsWith(LogFileRoute.FILE_NOT_FOUND + "/")
				.endsWith("/" + LogFileRoute.driverLogFile(nope));
		}
		String gone = "0".repeat(55) + "1";
		assertThat(this.ray.get(logFile("node_id", gone, "filename", LogFileRoute.driverLogFile(nope))).text(500))
			.isEqualTo("Agent for node id: " + gone + " doesn't exist.");
		assertThat(this.ray.get(logFile("submission_id", nope)).text(500)).isEqualTo(LogFileRoute.SERVER_TROUBLE);
	}

	@Test
	void theJobsCollectionNeedsItsTrailingSlashAndKnowsItsMethods() {
		assertThat(this.ray.post("/api/jobs", RayJson.requestMapper().writeValueAsString(quick(id("slash")))).text(404))
			.isEqualTo("404: Not Found");
		assertThat(this.ray.get("/api/jobs").text(404)).isEqualTo("404: Not Found");
		assertThat(this.ray.call(HttpMethod.PATCH, "/api/jobs/", "{}").text(405)).isEqualTo("405: Method Not Allowed");
	}

	// --- job list, browser guard
	// -------------------------------------------------------------------------------

	@Test
	void theJobListIsAnArrayOfEveryJobsDetailsInNoPromisedOrder() {
		List<String> ids = List.of(id("list-a"), id("list-b"), id("list-c"));
		ids.forEach((id) -> this.ray.submitted(quick(id)));

		RayCalls.Answer answer = this.ray.get("/api/jobs/");
		JsonNode list = answer.json();
		assertThat(list.isArray()).isTrue();
		for (JsonNode item : list) {
			assertThat(item.propertyNames()).containsExactlyElementsOf(JOB_DETAILS_KEYS);
		}
		List<RayJobDetails> jobs = this.ray.jobs();
		assertThat(jobs).extracting(RayJobDetails::submissionId).containsAll(ids);
		assertThat(jobs).filteredOn((j) -> ids.contains(j.submissionId()))
			.allSatisfy((j) -> assertThat(j.metadata()).containsEntry(RayContract.META_JOB_ID, j.submissionId()));
		ids.forEach(this::finish);
	}

	@Test
	void browserLikeRequestsMayReadButNotChangeAndSeeNoEnvVarValues() {
		String id = id("browser");
		RayJobSubmitRequest request = new RayJobSubmitRequest("true", id,
				Map.of("env_vars", Map.of("RAYLANE_CONTRACT_SECRET", "s3cr3t")), metadata(id), null, null,
				Map.of(POOL_RESOURCE, 1.0));
		String body = RayJson.requestMapper().writeValueAsString(request);
		assertThat(this.ray.post("/api/jobs/", body, "User-Agent", "Mozilla/5.0 (X11; Linux x86_64)").text(405))
			.isEqualTo("'POST' method not allowed for browser traffic.");
		assertThat(this.ray.post("/api/jobs/", body, "Origin", "http://example.org").text(405))
			.isEqualTo("'POST' method not allowed for browser traffic.");
		assertThat(this.ray.get("/api/jobs/" + id).status()).as("nothing was submitted").isEqualTo(404);

		this.ray.submitted(request);
		assertThat(this.ray.delete("/api/jobs/" + id, "User-Agent", "Mozilla/5.0").text(405))
			.isEqualTo("'DELETE' method not allowed for browser traffic.");
		assertThat(this.ray.post("/api/jobs/" + id + "/stop", null, "Referer", "http://dashboard/").text(405))
			.isEqualTo("'POST' method not allowed for browser traffic.");

		RayCalls.Answer asBrowser = this.ray.get("/api/jobs/" + id, "User-Agent", "Mozilla/5.0");
		assertThat(asBrowser.status()).isEqualTo(200);
		assertThat(asBrowser.json().at("/runtime_env/env_vars/RAYLANE_CONTRACT_SECRET").asString())
			.isEqualTo("<redacted>");
		assertThat(asBrowser.json().at("/metadata/" + RayContract.META_JOB_ID).asString()).isEqualTo(id);
		assertThat(this.ray.job(id).runtimeEnv()).as("non-browser callers get runtime_env verbatim")
			.isEqualTo(request.runtimeEnv());
		finish(id);
	}

	// --- nodes
	// -------------------------------------------------------------------------------------------------

	@Test
	void theNodeListHasTheHeadWithoutWorkResourcesAndEveryWorkerWithItsGpusAndPool() {
		RayListResponse<RayNodeState> envelope = this.ray.nodeList(false);
		assertThat(envelope.result()).isTrue();
		assertThat(envelope.msg()).isEmpty();
		List<RayNodeState> nodes = envelope.items();
		assertThat(nodes).filteredOn(RayNodeState::isHeadNode).singleElement().satisfies((head) -> {
			assertThat(head.alive()).isTrue();
			assertThat(head.resourcesTotal()).doesNotContainKeys("CPU", "GPU")
				.containsEntry("node:__internal_head__", 1.0);
			assertThat(RayContract.poolOf(head.resourcesTotal())).isEmpty();
		});
		for (String ip : workerIps()) {
			RayNodeState worker = aliveAt(ip);
			assertThat(worker.isHeadNode()).isFalse();
			assertThat(worker.nodeName()).isEqualTo(ip);
			assertThat(worker.stateMessage()).isNull();
			assertThat(worker.resourcesTotal()).containsEntry("GPU", (double) gpusPerWorker())
				.containsEntry(POOL_RESOURCE, (double) RayContract.POOL_RESOURCE_UNITS)
				.containsEntry("node:" + ip, 1.0)
				.containsKeys("CPU", "memory", "object_store_memory");
			assertThat(RayContract.poolOf(worker.resourcesTotal())).contains(POOL);
			assertThat(worker.labels()).containsEntry("ray.io/node-id", worker.nodeId());
		}
		for (RayNodeState node : this.ray.nodeList(true).items()) {
			assertThat(node.startTimeMs()).isPositive();
			if (node.alive()) {
				assertThat(node.endTimeMs()).as("end_time_ms of an ALIVE node").isZero();
			}
		}
	}

	@Test
	void aNodeListLimitOver10000IsA400Envelope() {
		RayCalls.Answer answer = this.ray.get("/api/v0/nodes?limit=100000");
		assertThat(answer.status()).isEqualTo(400);
		JsonNode body = answer.json();
		assertThat(body.get("result").asBoolean()).isFalse();
		assertThat(body.get("msg").asString()).startsWith("Given limit 100000 exceeds the supported limit 10000.");
		assertThat(body.get("data").get("result").isNull()).isTrue();
	}

	// --- actors and placement groups (what the observer reads for Ray's actual
	// placement,
	// docs/scheduling.md "Placement truth")
	// ------------------------------------------------------------------------------------

	@Test
	void theStateApiListsARunningJobsSupervisorActorOnItsDriverNodeWithItsEntrypointResources() {
		String id = id("actors");
		this.ray.submitted(new RayJobSubmitRequest("echo supervised; sleep 300", id, null, metadata(id), null, 1.0,
				Map.of(POOL_RESOURCE, 1.0)));
		RayJobDetails running = awaitRunning(id, "supervised");

		JsonNode detailed = supervisorOf(this.ray.stateList("/api/v0/actors?detail=true&limit=10000"), id);
		assertThat(detailed.propertyNames()).containsExactlyElementsOf(StateListRoute.ACTOR_COLUMNS);
		RayActorState actor = RayJson.mapper().treeToValue(detailed, RayActorState.class);
		assertThat(actor.className()).isEqualTo(StateListRoute.SUPERVISOR_CLASS);
		assertThat(actor.alive()).isTrue();
		assertThat(actor.supervisedSubmission()).isEqualTo(id);
		assertThat(actor.nodeId()).as("the supervisor runs where the driver runs").isEqualTo(running.driverNodeId());
		assertThat(actor.jobId()).as("the dashboard's Ray job, not the submission's").matches("[0-9a-f]{8}");
		assertThat(actor.rayNamespace()).isEqualTo(StateListRoute.SUPERVISOR_NAMESPACE);
		assertThat(actor.isDetached()).isTrue();
		assertThat(actor.placementGroupId()).isNull();
		assertThat(actor.requiredResources()).containsEntry("GPU", 1.0).containsEntry(POOL_RESOURCE, 1.0);
		assertThat(actor.ownGpus()).isEqualTo(1.0);
		assertThat(actor.actorId()).as("an actor id ends with its job's id").endsWith(actor.jobId());

		JsonNode summary = supervisorOf(this.ray.stateList("/api/v0/actors?limit=10000"), id);
		assertThat(summary.propertyNames()).as("without detail=true")
			.containsExactlyElementsOf(StateListRoute.ACTOR_SUMMARY_COLUMNS);

		this.ray.stop(id);
		this.ray.awaitStatus(id, patience(), RayContract.STATUS_STOPPED);
		// Ray keeps it listed as DEAD, an imitation drops it: neither lists it ALIVE
		await().atMost(patience())
			.pollInterval(Duration.ofMillis(500))
			.until(() -> this.ray.stateList("/api/v0/actors?detail=true&limit=10000")
				.stream()
				.noneMatch((a) -> a.path("name").asString("").equals(RayActorState.SUPERVISOR_PREFIX + id)
						&& "ALIVE".equals(a.path("state").asString(""))));
	}

	@Test
	void aCommandJobCreatesNoPlacementGroupAndGroupsHaveRaysColumns() {
		String id = id("groups");
		this.ray.submitted(new RayJobSubmitRequest("echo no-groups; sleep 300", id, null, metadata(id), null, null,
				Map.of(POOL_RESOURCE, 1.0)));
		awaitRunning(id, "no-groups");

		List<JsonNode> detailed = this.ray.stateList("/api/v0/placement_groups?detail=true&limit=10000");
		for (JsonNode group : detailed) {
			assertThat(group.propertyNames()).containsExactlyElementsOf(StateListRoute.PLACEMENT_GROUP_COLUMNS);
			RayPlacementGroupState state = RayJson.mapper().treeToValue(group, RayPlacementGroupState.class);
			assertThat(state.placementGroupId()).isNotBlank();
		}
		for (JsonNode group : this.ray.stateList("/api/v0/placement_groups?limit=10000")) {
			assertThat(group.propertyNames()).as("without detail=true")
				.containsExactlyElementsOf(StateListRoute.PLACEMENT_GROUP_SUMMARY_COLUMNS);
		}
		// a shell entrypoint never calls ray.init: it has no Ray job id to create a group
		// with, and the groups that are listed belong to Ray programs
		assertThat(this.ray.job(id).jobId()).isNull();
		this.ray.stop(id);
		this.ray.awaitStatus(id, patience(), RayContract.STATUS_STOPPED);
	}

	@Test
	void actorAndPlacementGroupListLimitsOver10000AreA400Envelope() {
		for (String list : List.of("/api/v0/actors", "/api/v0/placement_groups")) {
			RayCalls.Answer answer = this.ray.get(list + "?limit=100000");
			assertThat(answer.status()).as(list).isEqualTo(400);
			JsonNode body = answer.json();
			assertThat(body.get("result").asBoolean()).isFalse();
			assertThat(body.get("msg").asString()).as(list)
				.startsWith("Given limit 100000 exceeds the supported limit 10000.");
			assertThat(body.get("data").get("result").isNull()).isTrue();
		}
	}

	private static JsonNode supervisorOf(List<JsonNode> actors, String id) {
		return actors.stream()
			.filter((a) -> (RayActorState.SUPERVISOR_PREFIX + id).equals(a.path("name").asString(""))
					&& "ALIVE".equals(a.path("state").asString("")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no ALIVE supervisor of " + id + " in " + actors));
	}

	@Test
	void aWorkerWhoseRayletDiesTurnsDeadFailsItsJobAndRejoinsUnderANewNodeId() {
		String ip = workerIps().get(workerIps().size() - 1);
		String oldId = aliveAt(ip).nodeId();
		int known = this.ray.nodes().size();
		String id = id("node-death");
		this.ray.submitted(new RayJobSubmitRequest("echo on-the-doomed-node; sleep 120", id, null, metadata(id), null,
				null, Map.of(POOL_RESOURCE, 1.0, "node:" + ip, 0.01)));
		RayJobDetails running = awaitRunning(id, "on-the-doomed-node");
		assertThat(running.driverNodeId()).isEqualTo(oldId);

		killWorker(ip);
		RayNodeState dead = await().atMost(patience())
			.pollInterval(Duration.ofMillis(500))
			.until(() -> node(oldId), (n) -> !n.alive());
		assertThat(dead.state()).isEqualTo("DEAD");
		assertThat(dead.stateMessage()).isEqualTo(HEALTH_CHECK_DEATH);
		assertThat(dead.endTimeMs()).isPositive();
		RayJobDetails failed = this.ray.awaitStatus(id, patience(), RayContract.STATUS_FAILED,
				RayContract.STATUS_STOPPED, RayContract.STATUS_SUCCEEDED);
		assertThat(failed.status()).isEqualTo(RayContract.STATUS_FAILED);
		assertThat(failed.errorType()).isEqualTo("JOB_SUPERVISOR_ACTOR_DIED");
		assertThat(failed.message()).startsWith("Job supervisor actor died: ")
			.contains("The actor died because its node has died. Node Id: " + oldId);
		await().atMost(patience()).untilAsserted(() -> assertThat(targets()).doesNotContain(target(ip)));

		rejoinWorker(ip);
		RayNodeState back = await().atMost(patience())
			.pollInterval(Duration.ofMillis(500))
			.until(() -> aliveNode(ip), Optional::isPresent)
			.orElseThrow();
		assertThat(back.nodeId()).as("a re-joined node has a new id").isNotEqualTo(oldId);
		assertThat(node(oldId).state()).as("the dead node stays listed").isEqualTo("DEAD");
		assertThat(this.ray.nodes()).hasSize(known + 1);
		await().atMost(patience()).untilAsserted(() -> assertThat(targets()).contains(target(ip)));
	}

	// --- metrics, service discovery, version
	// -------------------------------------------------------------------

	@Test
	void everyNodeServesRayMetricsWithTheLabelsRaylaneReads() {
		JsonNode version = this.ray.get("/api/version").json();
		String rayVersion = version.get("ray_version").asString();
		String session = version.get("session_name").asString();
		for (RayNodeState node : this.ray.nodes()) {
			if (!node.alive()) {
				continue;
			}
			// A node that joined moments ago (the re-join test may run just before)
			// exports its
			// first metrics only after the agent's report interval, so each node gets the
			// patience.
			await().atMost(patience())
				.pollInterval(Duration.ofSeconds(1))
				.untilAsserted(() -> assertNodeMetrics(node, session, rayVersion));
		}
	}

	private void assertNodeMetrics(RayNodeState node, String session, String rayVersion) {
		List<PrometheusText.Sample> samples = scrape(node.nodeIp());
		PrometheusText.Sample cpu = samples.stream()
			.filter((s) -> s.name().equals("ray_node_cpu_utilization"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no ray_node_cpu_utilization at " + node.nodeIp()));
		assertThat(cpu.labels()).containsEntry("ip", node.nodeIp())
			.containsEntry("IsHeadNode", Boolean.toString(node.isHeadNode()))
			.containsEntry("RayNodeType", node.isHeadNode() ? "head" : "worker")
			.containsEntry("SessionName", session)
			.containsEntry("Version", rayVersion);
		for (PrometheusText.Sample gpu : samples) {
			if (gpu.name().startsWith("ray_node_gpus_") || gpu.name().startsWith("ray_node_gram_")) {
				assertThat(gpu.labels()).containsEntry("ip", node.nodeIp())
					.containsKeys("GpuIndex", "GpuDeviceName", "IsHeadNode", "RayNodeType", "SessionName", "Version");
			}
		}
		if (!node.isHeadNode()) {
			assertThat(resource(samples, node.nodeIp(), "GPU", "AVAILABLE")
					+ resource(samples, node.nodeIp(), "GPU", "USED"))
				.isEqualTo(gpusPerWorker());
			assertThat(resource(samples, node.nodeIp(), POOL_RESOURCE, "AVAILABLE")).isPositive();
		}
	}

	@Test
	void gpusHeldByARunningJobShowAsUsedInRayResources() {
		String ip = workerIps().get(0);
		String id = id("gpu-used");
		this.ray.submitted(new RayJobSubmitRequest("echo holding; sleep 300", id, null, metadata(id), null, 2.0,
				Map.of(POOL_RESOURCE, 1.0, "node:" + ip, 0.01)));
		awaitRunning(id, "holding");
		await().atMost(patience())
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(resource(scrape(ip), ip, "GPU", "USED")).isEqualTo(2.0));
		this.ray.stop(id);
		this.ray.awaitStatus(id, patience(), RayContract.STATUS_STOPPED);
	}

	@Test
	void theServiceDiscoveryFileListsEveryAliveNodesMetricsTarget() {
		Set<String> targets = targets();
		for (RayNodeState node : this.ray.nodes()) {
			if (node.alive()) {
				assertThat(targets).contains(target(node.nodeIp()));
			}
		}
		Set<String> nodeIps = Set.copyOf(this.ray.nodes().stream().map(RayNodeState::nodeIp).toList());
		assertThat(targets).allSatisfy((t) -> assertThat(nodeIps).contains(t.substring(0, t.lastIndexOf(':'))));
		JsonNode served = this.ray.get("/api/prometheus/sd").json();
		assertThat(served.get(0).get("labels")).isEqualTo(RayJson.mapper().valueToTree(Map.of("job", "ray")));
	}

	@Test
	void versionAndGcsHealthAnswerAsRayDoes() {
		JsonNode version = this.ray.get("/api/version").json();
		assertThat(version.propertyNames()).containsExactly("version", "ray_version", "ray_commit", "session_name");
		assertThat(version.get("version").asString()).isEqualTo("4");
		assertThat(version.get("ray_version").asString()).startsWith("2.60.0");
		assertThat(version.get("session_name").asString()).startsWith("session_");
		RayCalls.Answer health = this.ray.get("/api/gcs_healthz");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.contentType()).isEqualTo("application/text; charset=utf-8");
		assertThat(health.body()).isEqualTo("success");
	}

	// --- helpers
	// -----------------------------------------------------------------------------------------------

	/**
	 * A job id unique to this run of the suite (the real cluster outlives a test class).
	 */
	static String id(String what) {
		return RUN + "-" + what + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
	}

	static Map<String, String> metadata(String id) {
		return Map.of(RayContract.META_JOB_ID, id, RayContract.META_USER, "contract", RayContract.META_POOL, POOL);
	}

	static RayJobSubmitRequest quick(String id) {
		return new RayJobSubmitRequest("true", id, null, metadata(id), null, null, Map.of(POOL_RESOURCE, 1.0));
	}

	static RayJobSubmitRequest sleeper(String id, String entrypoint) {
		return new RayJobSubmitRequest(entrypoint, id, null, metadata(id), null, null, Map.of(POOL_RESOURCE, 1.0));
	}

	private RayJobSubmitRequest onFirstWorkerWithEveryGpu(String id, String entrypoint) {
		return new RayJobSubmitRequest(entrypoint, id, null, metadata(id), null, (double) gpusPerWorker(),
				Map.of(POOL_RESOURCE, 1.0, "node:" + workerIps().get(0), 0.01));
	}

	private void holdEveryGpuOfTheFirstWorker(String id) {
		this.ray.submitted(onFirstWorkerWithEveryGpu(id, "echo holding-every-gpu; sleep 300"));
		awaitRunning(id, "holding-every-gpu");
	}

	/**
	 * Waits until the job runs and (where entrypoints run) its log shows {@code line}.
	 */
	RayJobDetails awaitRunning(String id, String line) {
		actAsRay(id, RayContract.STATUS_RUNNING);
		RayJobDetails running = this.ray.awaitStatus(id, patience(), RayContract.STATUS_RUNNING);
		assertThat(running.message()).isEqualTo("Job is currently running.");
		assertThat(running.endTime()).isNull();
		assertNoDriverInfo(running);
		assertThat(running.driverNodeId()).isNotNull();
		if (runsEntrypoints()) {
			await().atMost(patience()).until(() -> this.ray.logs(id).contains(line));
		}
		return running;
	}

	/** {@code /api/v0/logs/file} with these query parameters (name, value, ...). */
	static String logFile(String... params) {
		StringBuilder path = new StringBuilder("/api/v0/logs/file");
		for (int i = 0; i < params.length; i += 2) {
			path.append((i == 0) ? '?' : '&').append(params[i]).append('=').append(params[i + 1]);
		}
		return path.toString();
	}

	/** Lets a short job end (SUCCEEDED). */
	void finish(String id) {
		actAsRay(id, RayContract.STATUS_RUNNING);
		actAsRay(id, RayContract.STATUS_SUCCEEDED);
		assertThat(
				this.ray.awaitStatus(id, patience(), RayContract.STATUS_SUCCEEDED, RayContract.STATUS_FAILED).status())
			.isEqualTo(RayContract.STATUS_SUCCEEDED);
	}

	private void assertDeleted(String id) {
		RayCalls.Answer deleted = this.ray.delete("/api/jobs/" + id);
		assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
		assertThat(RayJson.mapper().convertValue(deleted.json(), Map.class)).isEqualTo(Map.of("deleted", true));
		String gone = "Job " + id + " does not exist";
		assertThat(this.ray.get("/api/jobs/" + id).text(404)).isEqualTo(gone);
		assertThat(this.ray.get("/api/jobs/" + id + "/logs").text(404)).isEqualTo(gone);
		assertThat(this.ray.delete("/api/jobs/" + id).text(404)).isEqualTo(gone);
		assertThat(this.ray.jobs()).extracting(RayJobDetails::submissionId).doesNotContain(id);
	}

	/**
	 * Command entrypoints never call ray.init themselves: Ray 2.60 leaves job_id and
	 * driver_info null for ever.
	 */
	private static void assertNoDriverInfo(RayJobDetails job) {
		assertThat(job.jobId()).as("job_id of a command entrypoint").isNull();
		assertThat(job.driverInfo()).as("driver_info of a command entrypoint").isNull();
	}

	RayNodeState node(String nodeId) {
		return this.ray.nodes()
			.stream()
			.filter((n) -> n.nodeId().equals(nodeId))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no node " + nodeId));
	}

	Optional<RayNodeState> aliveNode(String ip) {
		return this.ray.nodes().stream().filter((n) -> n.alive() && ip.equals(n.nodeIp())).findFirst();
	}

	RayNodeState aliveAt(String ip) {
		return aliveNode(ip).orElseThrow(() -> new AssertionError("no ALIVE node at " + ip));
	}

	private List<PrometheusText.Sample> scrape(String ip) {
		RayCalls.Answer answer = new RayCalls(metricsUrl(ip), Optional.empty()).get("");
		assertThat(answer.status()).as(metricsUrl(ip)).isEqualTo(200);
		assertThat(answer.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
		return PrometheusText.parse(answer.body());
	}

	private double resource(List<PrometheusText.Sample> samples, String ip, String name, String state) {
		return samples.stream()
			.filter((s) -> s.name().equals("ray_resources") && name.equals(s.labels().get("Name"))
					&& state.equals(s.labels().get("State")) && ip.equals(s.labels().get("NodeAddress")))
			.mapToDouble(PrometheusText.Sample::value)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no ray_resources{Name=\"" + name + "\",State=\"" + state
					+ "\",NodeAddress=\"" + ip + "\"} in " + metricsUrl(ip)));
	}

	private String target(String ip) {
		return ip + ":" + URI.create(metricsUrl(ip)).getPort();
	}

	/**
	 * The targets of the SD file: {@code [{"labels": {"job": "ray"}, "targets": [...]}]}.
	 */
	private Set<String> targets() {
		Path file = serviceDiscoveryFile();
		try {
			JsonNode sd = RayJson.mapper().readTree(Files.readString(file));
			assertThat(sd.isArray()).isTrue();
			List<String> targets = new ArrayList<>();
			for (JsonNode group : sd) {
				assertThat(group.get("labels")).isEqualTo(RayJson.mapper().valueToTree(Map.of("job", "ray")));
				group.get("targets").forEach((t) -> targets.add(t.asString()));
			}
			return Set.copyOf(targets);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
