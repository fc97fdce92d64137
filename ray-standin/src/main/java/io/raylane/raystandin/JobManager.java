package io.raylane.raystandin;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.raylane.rayclient.wire.RayContract;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head's job manager and supervisors in one: keeps the job table, places PENDING jobs
 * on nodes ({@link Placement}), runs each driver as a local process group
 * ({@link DriverProcesses}), watches it to its end, stops it on request, fails jobs that
 * wait longer than the start timeout, and after a restart adopts drivers that are still
 * running. Every state change is written through {@link JobStore} before it becomes
 * visible.
 */
final class JobManager {

	private static final Logger log = LoggerFactory.getLogger(JobManager.class);

	private static final String ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz123456789";

	private static final SecureRandom RANDOM = new SecureRandom();

	enum StopOutcome {

		NOT_FOUND, STOPPING, ALREADY_TERMINAL

	}

	enum DeleteOutcome {

		NOT_FOUND, NOT_TERMINAL, DELETED

	}

	/** A reused submission id; Ray answers 500 with this message. */
	static final class DuplicateJobException extends RuntimeException {

		DuplicateJobException(String submissionId) {
			super("Job with submission_id " + submissionId + " already exists. Please use a different submission_id.");
		}

	}

	private final LocalRayHeadConfig config;

	private final JobStore store;

	private final NodeTable nodes;

	private final Clock clock;

	private final Map<String, String> nodeEnv;

	private final Map<String, String> supervisorVars;

	private final Map<String, JobRecord> jobs = new LinkedHashMap<>();

	/** Drivers found running after a restart; ours are in {@link #children}. */
	private final Set<String> adopted = new HashSet<>();

	private final Map<String, Process> children = new HashMap<>();

	private final Set<String> stopping = new HashSet<>();

	/** Closed: drivers that exit from now on are left for the next head to settle. */
	private boolean closed;

	/**
	 * PENDING jobs whose stop was asked for: as in Ray, the stop waits for the
	 * supervisor, so the entrypoint starts once placed and is stopped right after.
	 */
	private final Set<String> stopQueued = new HashSet<>();

	/**
	 * PENDING jobs placed on a node whose driver the monitor is starting outside the
	 * lock; their resources count on that node ({@link #usageByNode()}).
	 */
	private final Map<String, Placed> launching = new HashMap<>();

	/** Starts placed drivers side by side ({@link #tick()}). */
	private final ExecutorService launchers = Executors.newFixedThreadPool(LAUNCHERS,
			(r) -> daemon(r, "local-ray-launch"));

	private final ExecutorService stoppers = Executors.newCachedThreadPool((r) -> daemon(r, "local-ray-stop"));

	/** How many drivers are started at the same time. */
	private static final int LAUNCHERS = 4;

	private int jobCounter;

	JobManager(LocalRayHeadConfig config, JobStore store, NodeTable nodes, Clock clock, Map<String, String> nodeEnv,
			String headAddress) {
		this.config = config;
		this.store = store;
		this.nodes = nodes;
		this.clock = clock;
		this.nodeEnv = withoutRaylanes(nodeEnv);
		this.supervisorVars = Map.of("RAY_ADDRESS", headAddress, "PYTHONUNBUFFERED", "1");
	}

	/**
	 * Reads the job table back after a restart: adopts live drivers, settles the ones
	 * that ended meanwhile.
	 */
	synchronized void recover() {
		for (JobRecord job : this.store.loadAll()) {
			this.jobs.put(job.submissionId(), job);
			if (job.rayJobId() != null) {
				this.jobCounter = Math.max(this.jobCounter, NodeIds.rayJobCounter(job.rayJobId()));
			}
			if (job.runningStatus()) {
				if (job.driverPid() != null && DriverProcesses.sameProcess(job.driverPid(), job.driverStartMs())) {
					log.info("adopting the running driver of job {} (pid {})", job.submissionId(), job.driverPid());
					this.adopted.add(job.submissionId());
				}
				else {
					settleExit(job);
				}
			}
		}
	}

	synchronized JobRecord submit(SubmitRequest request) {
		String id = (request.submissionId() != null) ? request.submissionId() : newSubmissionId();
		if (this.jobs.containsKey(id)) {
			throw new DuplicateJobException(id);
		}
		JobRecord job = JobRecord.pending(id, request, this.clock.millis());
		if (hasNegative(request.resources())) {
			// Ray accepts the request, then creating the supervisor actor fails
			job = job.finished(RayContract.STATUS_FAILED,
					JobMessages.startFailure(id, "Resource quantities may not be negative."),
					JobMessages.ERROR_START_FAILURE, null, this.clock.millis());
		}
		put(job);
		return job;
	}

	synchronized Optional<JobRecord> get(String id) {
		return Optional.ofNullable(this.jobs.get(id));
	}

	/**
	 * Every job, in the order of a hash of its id: Ray lists jobs in hash-map order, not
	 * in submission order, and no client may come to rely on one.
	 */
	synchronized List<JobRecord> list() {
		List<JobRecord> list = new ArrayList<>(this.jobs.values());
		list.sort(java.util.Comparator.comparingInt((JobRecord j) -> Integer.reverse(j.submissionId().hashCode()))
			.thenComparing(JobRecord::submissionId));
		return list;
	}

	/** The driver's pid (its process group), while one was started; for tests. */
	synchronized Optional<Long> driverPid(String id) {
		return Optional.ofNullable(this.jobs.get(id)).map(JobRecord::driverPid);
	}

	/**
	 * What the drivers running on a node hold, per resource (for the node's
	 * {@code ray_resources} metrics).
	 */
	synchronized Map<String, Double> reservedOn(String nodeId) {
		Placement.Usage usage = usageByNode().get(nodeId);
		return (usage != null) ? Map.copyOf(usage.reserved()) : Map.of();
	}

	/** The whole driver log, or "" while the job has no driver node. */
	Optional<String> logs(String id) {
		Optional<JobRecord> job = get(id);
		return job.map((j) -> (j.driverNodeId() == null) ? "" : this.store.readLog(id));
	}

	/**
	 * Fire-and-forget like Ray: TERM the driver's group, KILL after the grace period,
	 * then record STOPPED.
	 */
	synchronized StopOutcome stop(String id) {
		JobRecord job = this.jobs.get(id);
		if (job == null) {
			return StopOutcome.NOT_FOUND;
		}
		if (job.terminal()) {
			return StopOutcome.ALREADY_TERMINAL;
		}
		if (job.pendingStatus()) {
			// Ray queues the stop on the not yet scheduled supervisor actor: the job
			// stays
			// PENDING, and its entrypoint still starts (then is stopped) once it is
			// placed
			this.stopQueued.add(id);
			return StopOutcome.STOPPING;
		}
		terminate(job);
		return StopOutcome.STOPPING;
	}

	private void terminate(JobRecord job) {
		String id = job.submissionId();
		if (this.stopping.add(id)) {
			long pgid = job.driverPid();
			long graceMs = stopWaitMs(job);
			this.stoppers.execute(() -> {
				try {
					DriverProcesses.terminateGroup(pgid, graceMs);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					markStopped(id);
				}
			});
		}
	}

	synchronized DeleteOutcome delete(String id) {
		JobRecord job = this.jobs.get(id);
		if (job == null) {
			return DeleteOutcome.NOT_FOUND;
		}
		if (!job.terminal()) {
			return DeleteOutcome.NOT_TERMINAL;
		}
		this.store.delete(id);
		this.jobs.remove(id);
		return DeleteOutcome.DELETED;
	}

	/**
	 * One monitor round: settle ended drivers, fail timed-out PENDING jobs, place the
	 * rest (FIFO), then start the placed drivers. Forking a driver takes tens of
	 * milliseconds, so it happens outside the job table's lock: submissions, log reads,
	 * deletes and lists are not held up by it (issue 17: with the forks inside the lock
	 * the stand-in, not Raylane, bounded the start rate). Only the monitor thread calls
	 * this, so rounds never overlap.
	 */
	void tick() {
		List<Placed> placed = place();
		// a fork each, several at a time, as Ray starts its supervisors side by side;
		// each is recorded as soon as it started (not once the whole round has: a round
		// can place hundreds); join() waits through an interrupt (a close): a started
		// driver must be recorded
		List<CompletableFuture<Void>> launches = new ArrayList<>();
		placed.forEach((next) -> launches
			.add(CompletableFuture.supplyAsync(() -> launch(next), this.launchers).thenAccept(this::recordStart)));
		launches.forEach(CompletableFuture::join);
	}

	/** A PENDING job placed on a node, its driver not started yet. */
	private record Placed(JobRecord job, LocalNode node) {
	}

	/** What starting a placed job's driver gave: the process, or why it failed. */
	private record Started(Placed placed, DriverProcesses.Launched launched, Exception failure) {
	}

	private synchronized List<Placed> place() {
		long now = this.clock.millis();
		for (JobRecord job : new ArrayList<>(this.jobs.values())) {
			if (job.runningStatus() && !this.stopping.contains(job.submissionId())) {
				boolean known = this.children.containsKey(job.submissionId())
						|| this.adopted.contains(job.submissionId());
				if (!known || !DriverProcesses.running(job.driverPid())) {
					settleExit(job);
				}
			}
			else if (job.pendingStatus() && now - job.startTime() > this.config.startTimeout().toMillis()) {
				this.stopQueued.remove(job.submissionId());
				put(job.finished(RayContract.STATUS_FAILED,
						JobMessages.startTimeout(this.config.startTimeout(), job.resources().specified()),
						JobMessages.ERROR_START_TIMEOUT, null, now));
			}
		}
		List<Placed> placed = new ArrayList<>();
		// counted once per round and kept up to date as jobs are placed (not once per
		// pending job: that was every job times every pending one, under the lock)
		Map<String, Placement.Usage> usage = usageByNode();
		List<LocalNode> nodes = this.nodes.all();
		for (JobRecord job : new ArrayList<>(this.jobs.values())) {
			if (job.pendingStatus() && !this.launching.containsKey(job.submissionId())) {
				Placement.choose(job.resources(), nodes, usage).ifPresent((node) -> {
					Placed next = new Placed(job, node);
					this.launching.put(job.submissionId(), next);
					usage.put(node.nodeId(), usage.getOrDefault(node.nodeId(), Placement.Usage.NONE)
						.plus(job.resources().asResources()));
					placed.add(next);
				});
			}
		}
		return placed;
	}

	/** Starts a placed job's driver; no lock held (see {@link #tick()}). */
	private Started launch(Placed placed) {
		JobRecord job = placed.job();
		String id = job.submissionId();
		try {
			DriverIsolation isolation = this.config.isolation();
			Path workDir = isolation.workDir(id, this.store.jobDir(id));
			isolation.prepare(workDir);
			Map<String, String> nodeEnv = this.nodeEnv;
			if (isolation.workRoot() != null) {
				// the driver's own folder is its home, away from the head's and the
				// service's
				nodeEnv = new HashMap<>(nodeEnv);
				nodeEnv.put("HOME", workDir.toString());
				nodeEnv.put("TMPDIR", workDir.toString());
				nodeEnv.put("PWD", workDir.toString());
				if (isolation.user() != null) {
					nodeEnv.put("USER", isolation.user());
					nodeEnv.put("LOGNAME", isolation.user());
				}
			}
			Map<String, String> env = EnvVars.driverEnvironment(nodeEnv, job.runtimeEnv(), this.supervisorVars);
			this.store.appendLog(id, JobMessages.runningEntrypoint(id, job.entrypoint()));
			return new Started(placed, DriverProcesses.launch(job.entrypoint(), workDir, this.store.logFile(id),
					this.store.exitCodeFile(id), env, isolation.dropPrivileges()), null);
		}
		catch (IOException | RuntimeException ex) {
			return new Started(placed, null, ex);
		}
	}

	/**
	 * Records a started driver: RUNNING on its node (stopped at once when a stop came
	 * meanwhile, as Ray stops a job whose supervisor was not scheduled yet), or FAILED
	 * when the driver could not start or its node died while it started.
	 */
	private synchronized void recordStart(Started start) {
		// it stays counted as starting no longer, whatever happens below
		this.launching.remove(start.placed().job().submissionId());
		String id = start.placed().job().submissionId();
		LocalNode node = start.placed().node();
		JobRecord job = this.jobs.getOrDefault(id, start.placed().job());
		long now = this.clock.millis();
		if (start.failure() != null) {
			log.warn("cannot start the driver of job {}: {}", id, start.failure().toString());
			this.stopQueued.remove(id);
			put(job.finished(RayContract.STATUS_FAILED,
					"Job entrypoint command failed to start: " + start.failure().getMessage(),
					JobMessages.ERROR_ENTRYPOINT_START, null, now));
			return;
		}
		DriverProcesses.Launched launched = start.launched();
		if (!node.alive()) {
			long pgid = launched.pid();
			this.stoppers.execute(() -> DriverProcesses.signalGroup(pgid, "KILL"));
			this.stopQueued.remove(id);
			put(job.finished(RayContract.STATUS_FAILED,
					JobMessages.nodeDied(id, node.nodeId(), node.ip(), node.stateMessage()), JobMessages.ERROR_DIED,
					null, now));
			return;
		}
		this.children.put(id, launched.process());
		JobRecord running = job.running(node, NodeIds.rayJobId(++this.jobCounter), launched.pid(), launched.startMs());
		put(running);
		if (this.stopQueued.remove(id)) {
			terminate(running);
		}
		// Ray's supervisor waits on its driver and records the end at once; the
		// next monitor round could be a whole batch of launches away
		launched.process().onExit().thenRun(() -> settleEnded(id));
	}

	/**
	 * A driver started by this head exited: its job is settled now (a stop in progress
	 * settles it itself, as STOPPED).
	 */
	private synchronized void settleEnded(String id) {
		if (this.closed) {
			// a head closed without killing its drivers leaves them to the next head
			return;
		}
		JobRecord job = this.jobs.get(id);
		if (job != null && job.runningStatus() && !this.stopping.contains(id) && this.children.containsKey(id)) {
			settleExit(job);
		}
	}

	/**
	 * A node died: its drivers die with it (Ray fails their jobs with "Job supervisor
	 * actor died").
	 */
	synchronized void nodeLeft(LocalNode node) {
		for (JobRecord job : new ArrayList<>(this.jobs.values())) {
			if (job.runningStatus() && node.nodeId().equals(job.driverNodeId())) {
				long pgid = job.driverPid();
				this.stoppers.execute(() -> DriverProcesses.signalGroup(pgid, "KILL"));
				forget(job.submissionId());
				put(job.finished(RayContract.STATUS_FAILED,
						JobMessages.nodeDied(job.submissionId(), node.nodeId(), node.ip(), node.stateMessage()),
						JobMessages.ERROR_DIED, null, this.clock.millis()));
			}
		}
	}

	/**
	 * On close: either kill every running driver (and record that) or leave them for the
	 * next head to adopt.
	 */
	void shutdown(boolean killDrivers) throws InterruptedException {
		synchronized (this) {
			this.closed = true;
		}
		if (killDrivers) {
			List<JobRecord> running;
			synchronized (this) {
				running = this.jobs.values().stream().filter(JobRecord::runningStatus).toList();
				running.forEach((job) -> this.stopping.add(job.submissionId()));
			}
			DriverProcesses.terminateGroups(running.stream().map(JobRecord::driverPid).toList(),
					this.config.stopWait().toMillis());
			synchronized (this) {
				for (JobRecord job : running) {
					JobRecord current = this.jobs.get(job.submissionId());
					if (current != null && !current.terminal()) {
						put(current.finished(RayContract.STATUS_FAILED,
								"Job driver was killed because the local Ray head shut down.", JobMessages.ERROR_DIED,
								null, this.clock.millis()));
					}
				}
			}
		}
		this.launchers.shutdown();
		this.stoppers.shutdown();
		this.stoppers.awaitTermination(this.config.stopWait().toMillis() + 10_000, TimeUnit.MILLISECONDS);
	}

	/**
	 * Issue 12: the environment the head was started with, without Raylane's own settings
	 * ({@code RAYLANE_*}: the users file, the data directory, tokens), which the
	 * all-in-one's process carries and a job must not read.
	 */
	static Map<String, String> withoutRaylanes(Map<String, String> nodeEnv) {
		Map<String, String> env = new HashMap<>(nodeEnv);
		env.keySet().removeIf((name) -> name.startsWith("RAYLANE_"));
		return Map.copyOf(env);
	}

	/**
	 * The driver is gone: its exit code (from the wrapper's file) decides SUCCEEDED or
	 * FAILED.
	 */
	private void settleExit(JobRecord job) {
		String id = job.submissionId();
		Optional<Integer> code = this.store.readExitCode(id);
		Process child = this.children.get(id);
		if (code.isEmpty() && child != null && !child.isAlive()) {
			code = Optional.of(child.exitValue());
		}
		forget(id);
		long now = this.clock.millis();
		if (code.isEmpty()) {
			put(job.finished(RayContract.STATUS_FAILED, JobMessages.LOST_ON_RESTART, JobMessages.ERROR_DIED, null,
					now));
		}
		else if (code.get() == 0) {
			put(job.finished(RayContract.STATUS_SUCCEEDED, JobMessages.SUCCEEDED, null, 0, now));
		}
		else {
			put(job.finished(RayContract.STATUS_FAILED, JobMessages.exitFailure(code.get(), this.store.readLog(id)),
					JobMessages.ERROR_ENTRYPOINT, code.get(), now));
		}
	}

	private synchronized void markStopped(String id) {
		forget(id);
		JobRecord job = this.jobs.get(id);
		if (job != null && !job.terminal()) {
			put(job.finished(RayContract.STATUS_STOPPED, JobMessages.STOPPED, null, null, this.clock.millis()));
		}
	}

	private Map<String, Placement.Usage> usageByNode() {
		Map<String, Map<String, Double>> reserved = new HashMap<>();
		Map<String, Integer> drivers = new HashMap<>();
		for (JobRecord job : this.jobs.values()) {
			if (job.runningStatus() && job.driverNodeId() != null) {
				Map<String, Double> onNode = reserved.computeIfAbsent(job.driverNodeId(), (k) -> new HashMap<>());
				job.resources().asResources().forEach((name, amount) -> onNode.merge(name, amount, Double::sum));
				drivers.merge(job.driverNodeId(), 1, Integer::sum);
			}
		}
		for (Placed placed : this.launching.values()) {
			String node = placed.node().nodeId();
			Map<String, Double> onNode = reserved.computeIfAbsent(node, (k) -> new HashMap<>());
			placed.job().resources().asResources().forEach((name, amount) -> onNode.merge(name, amount, Double::sum));
			drivers.merge(node, 1, Integer::sum);
		}
		Map<String, Placement.Usage> usage = new HashMap<>();
		reserved.forEach((node, res) -> usage.put(node, new Placement.Usage(res, drivers.get(node))));
		return usage;
	}

	/**
	 * RAY_JOB_STOP_WAIT_TIME_S may be set per job through runtime_env.env_vars, as in
	 * Ray.
	 */
	private long stopWaitMs(JobRecord job) {
		String perJob = EnvVars.envVarsOf(job.runtimeEnv()).get("RAY_JOB_STOP_WAIT_TIME_S");
		if (perJob != null) {
			try {
				return Long.parseLong(perJob.trim()) * 1000;
			}
			catch (NumberFormatException ex) {
				log.debug("ignoring RAY_JOB_STOP_WAIT_TIME_S={} of job {}", perJob, job.submissionId());
			}
		}
		return this.config.stopWait().toMillis();
	}

	private void put(JobRecord job) {
		this.store.save(job);
		this.jobs.put(job.submissionId(), job);
	}

	private void forget(String id) {
		this.stopQueued.remove(id);
		this.adopted.remove(id);
		this.children.remove(id);
		this.stopping.remove(id);
	}

	private static boolean hasNegative(ResourceRequest r) {
		return r.cpus() < 0 || r.gpus() < 0 || r.memory() < 0 || r.custom().values().stream().anyMatch((v) -> v < 0);
	}

	private static String newSubmissionId() {
		StringBuilder sb = new StringBuilder("raysubmit_");
		for (int i = 0; i < 16; i++) {
			sb.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
		}
		return sb.toString();
	}

	private static Thread daemon(Runnable r, String name) {
		Thread t = new Thread(r, name);
		t.setDaemon(true);
		return t;
	}

}
