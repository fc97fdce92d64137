package io.raylane.deploy.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.raylane.rayclient.wire.RayContract;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.GpuUsage;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.json.Json;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;

/**
 * Issue 12 item 11: the fault campaign. Jobs of mixed sizes from several users over HTTP
 * while services are SIGKILLed and restarted, the Ray head is unreachable (SIGSTOP) and
 * the SSH host flaps; then every job's fate, driver starts and GPU-seconds are checked;
 * then malformed JobSpecs and topic records. Returns the figures; the caller asserts.
 */
public final class FaultCampaign {

	static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "STOPPED", "REJECTED", "TIMED_OUT");

	/**
	 * @param seed drives the jobs, the chaos and the fuzz
	 * @param jobs how many jobs
	 * @param fuzz malformed JobSpecs, and as many malformed records
	 * @param window over which the jobs are submitted and the faults happen
	 * @param kills SIGKILLs of services
	 * @param outage how long the Ray head is unreachable
	 * @param flapDown how long the SSH host's sshd stays down per flap
	 * @param completion how long the jobs may take to end after the window
	 * @param schedulerProperties extra scheduler properties
	 */
	public record Settings(long seed, int jobs, int fuzz, Duration window, int kills, Duration outage,
			Duration flapDown, Duration completion, Map<String, String> schedulerProperties) {

		/**
		 * {@code -Draylane.faults.form=full} (1,000 jobs, 10,000 fuzz cases, 60 s outage)
		 * or the short form (default: 100 jobs, 1,000 fuzz cases, 20 s outage);
		 * {@code raylane.faults.seed|jobs|fuzz|outage-seconds} override.
		 */
		public static Settings fromSystemProperties() {
			boolean full = "full".equals(System.getProperty("raylane.faults.form"));
			long seed = Long.getLong("raylane.faults.seed", 20261202L);
			int jobs = Integer.getInteger("raylane.faults.jobs", full ? 1000 : 100);
			int fuzz = Integer.getInteger("raylane.faults.fuzz", full ? 10_000 : 1_000);
			Duration outage = Duration.ofSeconds(Long.getLong("raylane.faults.outage-seconds", full ? 60 : 20));
			// about what the 20 simulated GPUs finish per second; the short form submits
			// faster, its queue drains after the window
			Duration window = Duration.ofMillis(Math.max(45_000, jobs * (full ? 600L : 450L)));
			int kills = Math.max(CampaignStack.SERVICES.size(), jobs / 25);
			// the production back-off (5 s doubling to 2 min) in the full form; capped at
			// 10 s in the short one, so that its jobs resume soon after its shorter
			// outage
			Map<String, String> scheduler = full ? Map.of()
					: Map.of("raylane.scheduler.submit-retry-max-backoff", "10s");
			return new Settings(seed, jobs, fuzz, window, kills, outage, Duration.ofSeconds(8),
					Duration.ofMinutes(full ? 30 : 5), scheduler);
		}

	}

	private final Settings settings;

	private final CampaignFigures figures = new CampaignFigures();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

	private CampaignStack stack;

	private FaultCampaign(Settings settings) {
		this.settings = settings;
	}

	public static CampaignFigures run(Path root, Settings settings) throws Exception {
		FaultCampaign campaign = new FaultCampaign(settings);
		campaign.figures.seed = settings.seed();
		Instant start = Instant.now();
		try (CampaignStack stack = CampaignStack.start(root, settings.schedulerProperties())) {
			campaign.runOn(stack, start);
		}
		catch (Exception | Error ex) {
			// what was measured before the failure (a full form's jobs phase takes a
			// quarter of an hour)
			System.out.println("the campaign failed (" + ex + "); its figures so far:\n" + campaign.figures.table());
			throw ex;
		}
		return campaign.figures;
	}

	private void runOn(CampaignStack stack, Instant start) throws Exception {
		this.stack = stack;
		this.figures.startUp = Duration.between(start, Instant.now());
		Instant jobs = Instant.now();
		jobsUnderChaos();
		this.figures.jobsPhase = Duration.between(jobs, Instant.now());
		Instant fuzz = Instant.now();
		fuzz();
		this.figures.fuzzPhase = Duration.between(fuzz, Instant.now());
		for (String service : CampaignStack.SERVICES) {
			if (!stack.healthy(service)) {
				this.figures.unhealthyAfter.add(service);
			}
		}
	}

	// ---- jobs under chaos

	private void jobsUnderChaos() throws Exception {
		List<JobMix.Job> jobs = JobMix.draw(this.settings.seed(), this.settings.jobs(), CampaignStack.USERS);
		ChaosPlan plan = ChaosPlan.draw(this.settings.seed(), this.settings.window(), this.settings.kills(),
				CampaignStack.SERVICES, this.settings.outage(), this.settings.flapDown());
		Path markers = Files.createDirectories(this.stack.root().resolve("markers"));
		this.figures.jobs = jobs.size();
		Map<Integer, String> ids = new ConcurrentHashMap<>();
		long t0 = System.nanoTime();
		List<Thread> threads = new ArrayList<>();
		List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
		threads.add(thread("submit", failures, () -> {
			for (JobMix.Job job : jobs) {
				sleepUntil(t0, this.settings.window().multipliedBy(job.index()).dividedBy(jobs.size()));
				ids.put(job.index(), submit(job, markers));
			}
		}));
		threads.add(thread("kills", failures, () -> {
			for (ChaosPlan.Kill kill : plan.kills()) {
				sleepUntil(t0, kill.at());
				ChildJvm victim = this.stack.service(kill.service());
				victim.kill();
				synchronized (this.figures) {
					CampaignFigures.add(this.figures.kills, kill.service());
				}
				Thread.sleep(kill.down().toMillis());
				victim.start();
			}
		}));
		threads.add(thread("ray-outage", failures, () -> {
			sleepUntil(t0, plan.outageAt());
			this.stack.head().pause();
			Thread.sleep(plan.outage().toMillis());
			this.stack.head().resume();
			this.figures.outages++;
			this.figures.outage = plan.outage();
		}));
		threads.add(thread("ssh-flaps", failures, () -> {
			for (int i = 0; i < plan.flapsAt().size(); i++) {
				sleepUntil(t0, plan.flapsAt().get(i));
				this.stack.ssh().kill();
				if (i == 0) {
					// the node is registered while its host's sshd is down
					registerSshNode();
				}
				Thread.sleep(plan.flapDown().toMillis());
				this.stack.ssh().restart();
				this.figures.sshFlaps++;
			}
		}));
		threads.forEach(Thread::start);
		for (Thread thread : threads) {
			thread.join();
		}
		if (!failures.isEmpty()) {
			throw new IllegalStateException("the campaign itself failed: " + failures.get(0), failures.get(0));
		}
		for (String service : CampaignStack.SERVICES) {
			this.stack.awaitHealthy(service, Duration.ofMinutes(5));
		}
		Map<String, JobMix.Job> byId = new HashMap<>();
		ids.forEach((index, id) -> byId.put(id, jobs.get(index)));
		Map<String, String> statuses = awaitTerminal(byId);
		JsonNode node = getAs("admin", "/v1/nodes/ssh-1");
		this.figures.sshNodeState = text(node, "state")
				+ ("ONLINE".equals(text(node, "state")) ? "" : " (" + text(node, "reason") + ")");
		check(byId, statuses, markers);
	}

	private String submit(JobMix.Job job, Path markers) throws InterruptedException {
		String command = "echo started >> '" + markers.resolve(job.name()) + "'; sleep " + job.sleepSeconds();
		String body = "{\"name\":\"" + job.name() + "\",\"workload\":\"command\",\"command\":"
				+ Json.writeString(command) + ",\"resources\":{\"nnodes\":" + job.nnodes() + ",\"n_gpus_per_node\":"
				+ job.gpusPerNode() + "},\"timeout\":\"30m\"}";
		String key = "campaign-" + this.settings.seed() + "-" + job.index();
		while (true) {
			try {
				HttpResponse<String> answer = this.http
					.send(request(job.user(), "/v1/jobs").header("Content-Type", "application/json")
						.header("Idempotency-Key", key)
						.POST(HttpRequest.BodyPublishers.ofString(body))
						.build(), HttpResponse.BodyHandlers.ofString());
				if (answer.statusCode() == 202 || answer.statusCode() == 200) {
					return Json.mapper().readTree(answer.body()).get("job_id").asString();
				}
				if (answer.statusCode() < 500 && answer.statusCode() != 429) {
					throw new IllegalStateException(job + " refused: " + answer.statusCode() + " " + answer.body());
				}
			}
			catch (IOException ex) {
				// the API is down (killed): retry with the same key, as a client would
			}
			this.figures.submitRetries++;
			Thread.sleep(1000);
		}
	}

	private void registerSshNode() throws InterruptedException {
		String body = "{\"node_id\":\"ssh-1\",\"host\":\"" + CampaignStack.SSH_IP + "\",\"port\":"
				+ this.stack.ssh().port() + ",\"user\":\"" + System.getProperty("user.name")
				+ "\",\"pool\":\"default\",\"gpus\":4,\"labels\":{\"zone\":\"ssh\"}}";
		while (true) {
			try {
				HttpResponse<String> answer = this.http
					.send(request("admin", "/v1/nodes").header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString(body))
						.build(), HttpResponse.BodyHandlers.ofString());
				if (answer.statusCode() == 202) {
					return;
				}
				if (answer.statusCode() < 500) {
					throw new IllegalStateException("node refused: " + answer.statusCode() + " " + answer.body());
				}
			}
			catch (IOException ex) {
				// the API is down: again
			}
			Thread.sleep(1000);
		}
	}

	private Map<String, String> awaitTerminal(Map<String, JobMix.Job> jobs) throws InterruptedException {
		Map<String, String> statuses = new HashMap<>();
		long deadline = System.nanoTime() + this.settings.completion().toNanos();
		Set<String> open = new HashSet<>(jobs.keySet());
		while (!open.isEmpty() && System.nanoTime() < deadline) {
			for (String id : List.copyOf(open)) {
				String status = text(getAs(jobs.get(id).user(), "/v1/jobs/" + id), "status");
				statuses.put(id, status);
				if (TERMINAL.contains(status)) {
					open.remove(id);
				}
			}
			if (!open.isEmpty()) {
				Thread.sleep(2000);
			}
		}
		return statuses;
	}

	private void check(Map<String, JobMix.Job> jobs, Map<String, String> statuses, Path markers) throws Exception {
		for (Map.Entry<String, JobMix.Job> entry : jobs.entrySet()) {
			String id = entry.getKey();
			String status = statuses.getOrDefault(id, "unknown");
			CampaignFigures.add(this.figures.statuses, status);
			if (!TERMINAL.contains(status)) {
				this.figures.lost.add(id + " " + status);
			}
			Path marker = markers.resolve(entry.getValue().name());
			int starts = Files.exists(marker) ? Files.readAllLines(marker).size() : 0;
			if (starts > 1) {
				this.figures.duplicated.add(id + " started " + starts + " times");
			}
			if (starts == 0 && "SUCCEEDED".equals(status)) {
				this.figures.neverStarted.add(id);
			}
		}
		checkAccounting(jobs, statuses);
	}

	/**
	 * Every job that ran with GPUs: its records on raylane.accounting sum to gpus ×
	 * (Ray's end − Ray's start), the times Ray reported (observer's terminal
	 * JobObserved).
	 */
	private void checkAccounting(Map<String, JobMix.Job> jobs, Map<String, String> statuses) throws Exception {
		Map<String, JobObserved> ended = new HashMap<>();
		List<GpuUsage> usage = new ArrayList<>();
		Set<String> due = new HashSet<>();
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		do {
			ended.clear();
			for (byte[] value : readAll(Topics.RAY_OBSERVATIONS.name())) {
				if (Topics.RAY_OBSERVATIONS.valueSerde()
					.deserializer()
					.deserialize(Topics.RAY_OBSERVATIONS.name(), value) instanceof JobObserved o
						&& RayContract.isTerminal(o.rayStatus()) && o.endTimeMs() != null && o.startTimeMs() != null) {
					ended.put(o.jobId(), o);
				}
			}
			usage.clear();
			for (byte[] value : readAll(Topics.ACCOUNTING.name())) {
				usage.add(Topics.ACCOUNTING.valueSerde().deserializer().deserialize(Topics.ACCOUNTING.name(), value));
			}
			due.clear();
			Set<String> finals = new HashSet<>();
			usage.stream().filter(GpuUsage::isFinal).forEach((u) -> finals.add(u.jobId()));
			for (String id : jobs.keySet()) {
				if (jobs.get(id).gpus() > 0 && ended.containsKey(id) && !finals.contains(id)) {
					due.add(id);
				}
			}
			if (due.isEmpty()) {
				break;
			}
			Thread.sleep(2000);
		}
		while (System.nanoTime() < deadline);
		Set<String> seen = new HashSet<>();
		Map<String, Double> sums = new HashMap<>();
		for (GpuUsage u : usage) {
			if (!seen.add(u.id())) {
				this.figures.duplicateAccountingIds++;
			}
			sums.merge(u.jobId(), u.gpuSeconds(), Double::sum);
			JobMix.Job job = jobs.get(u.jobId());
			if (job != null && u.gpus() != job.gpus()) {
				this.figures.accountingMismatches
					.add(u.jobId() + " record of " + u.gpus() + " GPUs, job has " + job.gpus());
			}
		}
		for (String id : jobs.keySet()) {
			JobMix.Job job = jobs.get(id);
			JobObserved ray = ended.get(id);
			if (job.gpus() == 0 || ray == null) {
				if (job.gpus() > 0 && "SUCCEEDED".equals(statuses.get(id))) {
					this.figures.accountingMismatches.add(id + " SUCCEEDED with no terminal observation");
				}
				continue;
			}
			this.figures.accountedJobs++;
			double expected = job.gpus() * (ray.endTimeMs() - ray.startTimeMs()) / 1000.0;
			double error = Math.abs(sums.getOrDefault(id, 0.0) - expected);
			this.figures.maxAccountingError = Math.max(this.figures.maxAccountingError, error);
			// the records add up intervals of whole milliseconds: any difference beyond
			// the rounding of a double sum is a missing or doubled interval
			if (error > 1e-6) {
				this.figures.accountingMismatches.add(id + " expected " + expected + " accounted " + sums.get(id)
						+ (due.contains(id) ? " (no final record)" : ""));
			}
		}
	}

	// ---- fuzz

	private void fuzz() throws Exception {
		AtomicInteger n = new AtomicInteger();
		for (FuzzCases.Request request : FuzzCases.requests(this.settings.seed(), this.settings.fuzz())) {
			String user = CampaignStack.USERS.get(n.getAndIncrement() % CampaignStack.USERS.size());
			this.figures.fuzzRequests++;
			CampaignFigures.add(this.figures.httpKinds, request.kind());
			HttpRequest.Builder builder = request(user, "/v1/jobs")
				.POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
			if (request.contentType() != null) {
				builder.header("Content-Type", request.contentType());
			}
			try {
				HttpResponse<String> answer = this.http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
				CampaignFigures.add(this.figures.httpAnswers, String.valueOf(answer.statusCode()));
				if (answer.statusCode() >= 500 || answer.statusCode() < 400) {
					this.figures.serverErrors.add(request.kind() + ": " + answer.statusCode() + " "
							+ abbreviate(answer.body()) + " for " + abbreviate(new String(request.body())));
				}
			}
			catch (IOException ex) {
				CampaignFigures.add(this.figures.httpAnswers, "no answer");
				this.figures.serverErrors.add(request.kind() + ": no answer (" + ex + ")");
			}
		}
		fuzzRecords();
	}

	private void fuzzRecords() throws Exception {
		List<FuzzCases.Record> records = FuzzCases.records(this.settings.seed(), this.settings.fuzz());
		Set<String> expected = new HashSet<>();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.stack.bootstrapServers(),
						ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000),
				new StringSerializer(), new ByteArraySerializer())) {
			List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
			for (FuzzCases.Record record : records) {
				sent.add(producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value())));
				CampaignFigures.add(this.figures.recordsByTopic, record.topic());
			}
			for (java.util.concurrent.Future<RecordMetadata> future : sent) {
				RecordMetadata meta = future.get();
				expected.add(meta.topic() + "-" + meta.partition() + "@" + meta.offset());
			}
		}
		this.figures.fuzzRecords = expected.size();
		Set<String> matched = new HashSet<>();
		long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		while (System.nanoTime() < deadline && matched.size() < expected.size()) {
			for (byte[] value : readAll(Topics.DEAD_LETTERS.name())) {
				DeadLetter letter = Topics.DEAD_LETTERS.valueSerde()
					.deserializer()
					.deserialize(Topics.DEAD_LETTERS.name(), value);
				String at = letter.topic() + "-" + letter.partition() + "@" + letter.offset();
				if (expected.contains(at) && letter.reason() != null && !letter.reason().isBlank()) {
					matched.add(at);
				}
			}
			Thread.sleep(2000);
		}
		this.figures.deadLetters = matched.size();
		expected.stream().filter((at) -> !matched.contains(at)).sorted().forEach(this.figures.missingDeadLetters::add);
	}

	// ---- plumbing

	private HttpRequest.Builder request(String user, String path) {
		return HttpRequest.newBuilder(URI.create(this.stack.apiUrl() + path))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + this.stack.token(user));
	}

	private JsonNode getAs(String user, String path) {
		try {
			HttpResponse<String> answer = this.http.send(request(user, path).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			return (answer.statusCode() == 200) ? Json.mapper().readTree(answer.body()) : null;
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private static String text(JsonNode node, String field) {
		return (node != null && node.hasNonNull(field)) ? node.get(field).asString() : "unknown";
	}

	/** Every committed value of a topic, from the beginning. */
	private List<byte[]> readAll(String topic) {
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.stack.bootstrapServers(),
						ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
						ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4_000_000),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((p) -> new TopicPartition(topic, p.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			List<byte[]> values = new ArrayList<>();
			while (partitions.stream().anyMatch((p) -> consumer.position(p) < end.get(p))) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
					if (record.value() != null) {
						values.add(record.value());
					}
				}
			}
			return values;
		}
	}

	private static Thread thread(String name, List<Throwable> failures, Step step) {
		Thread thread = new Thread(() -> {
			try {
				step.run();
			}
			catch (Throwable ex) {
				failures.add(ex);
			}
		}, "campaign-" + name);
		thread.setDaemon(true);
		return thread;
	}

	@FunctionalInterface
	private interface Step {

		void run() throws Exception;

	}

	private static void sleepUntil(long t0, Duration offset) throws InterruptedException {
		long wait = (t0 + offset.toNanos() - System.nanoTime()) / 1_000_000;
		if (wait > 0) {
			Thread.sleep(wait);
		}
	}

	private static String abbreviate(String text) {
		return (text.length() > 200) ? text.substring(0, 200) + "…" : text;
	}

}
