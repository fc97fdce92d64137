package io.raylane.api.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.raylane.api.jobs.JobViewStore;
import io.raylane.api.nodes.NodeViewStore;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.node.NodeState;
import io.raylane.topics.node.NodeView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The cluster-state gauges of docs/metrics.md (api section), computed at scrape time from
 * the read models of {@code raylane.job-states} ({@link JobViewStore}, whose counts are
 * kept incrementally) and {@code raylane.node-states} ({@link NodeViewStore}, a fleet
 * small enough to walk per scrape): {@code raylane_jobs{status}} for every status, and
 * per pool {@code raylane_pool_gpus{pool,state}}, {@code raylane_queue_depth{pool}},
 * {@code raylane_queue_oldest_wait_seconds{pool}}, {@code raylane_nodes{pool,state}}
 * (every node state) and {@code raylane_nodes_lost{pool}}. A pool's gauges are registered
 * once the pool first shows up (a node in it, or a job queued in it); a background check
 * every second looks for new pools.
 */
@Component
final class ClusterGauges implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ClusterGauges.class);

	static final Duration POOL_CHECK = Duration.ofSeconds(1);

	private static final String POOL_GPUS_HELP = "GPUs of the pool: total (of its ONLINE and DRAINING nodes), "
			+ "allocated (reserved by jobs on those nodes), free (unreserved on its ONLINE nodes)";

	private final MeterRegistry registry;

	private final JobViewStore jobs;

	private final NodeViewStore nodes;

	private final Clock clock;

	private final Set<String> registeredPools = ConcurrentHashMap.newKeySet();

	private volatile ScheduledExecutorService poolCheck;

	ClusterGauges(MeterRegistry registry, JobViewStore jobs, NodeViewStore nodes, Clock clock) {
		this.registry = registry;
		this.jobs = jobs;
		this.nodes = nodes;
		this.clock = clock;
		for (JobStatus status : JobStatus.values()) {
			gauge("raylane.jobs", "jobs by JobView status", (g) -> g.jobs.count(status), "status", status.name());
		}
	}

	/** Registers the gauges of every pool not registered yet. */
	void registerNewPools() {
		Set<String> pools = new TreeSet<>(this.nodes.pools());
		pools.addAll(this.jobs.queuePools());
		for (String pool : pools) {
			if (this.registeredPools.add(pool)) {
				registerPool(pool);
			}
		}
	}

	private void registerPool(String pool) {
		gauge("raylane.pool.gpus", POOL_GPUS_HELP, (g) -> g.sum(pool, (n) -> capacity(n) ? n.gpus() : 0), "pool", pool,
				"state", "total");
		gauge("raylane.pool.gpus", POOL_GPUS_HELP, (g) -> g.sum(pool, (n) -> capacity(n) ? n.gpusAllocated() : 0),
				"pool", pool, "state", "allocated");
		gauge("raylane.pool.gpus", POOL_GPUS_HELP,
				(g) -> g.sum(pool,
						(n) -> (n.state() == NodeState.ONLINE) ? Math.max(0, n.gpus() - n.gpusAllocated()) : 0),
				"pool", pool, "state", "free");
		gauge("raylane.queue.depth", "jobs QUEUED in the pool", (g) -> g.jobs.queueDepth(pool), "pool", pool);
		gauge("raylane.queue.oldest.wait.seconds", "now minus submitted_at of the pool's oldest QUEUED job",
				(g) -> g.oldestWaitSeconds(pool), "pool", pool);
		for (NodeState state : NodeState.values()) {
			gauge("raylane.nodes", "nodes by NodeView state", (g) -> g.sum(pool, (n) -> (n.state() == state) ? 1 : 0),
					"pool", pool, "state", state.name());
		}
		gauge("raylane.nodes.lost", "nodes the scheduler declared lost (NodeView.lost())",
				(g) -> g.sum(pool, (n) -> n.lost() ? 1 : 0), "pool", pool);
		log.info("cluster gauges registered for pool {}", pool);
	}

	private static boolean capacity(NodeView node) {
		return node.state() == NodeState.ONLINE || node.state() == NodeState.DRAINING;
	}

	private double sum(String pool, ToDoubleFunction<NodeView> value) {
		List<NodeView> views = this.nodes.list(pool);
		return views.stream().mapToDouble(value).sum();
	}

	private double oldestWaitSeconds(String pool) {
		Instant oldest = this.jobs.oldestQueuedSubmittedAt(pool);
		if (oldest == null) {
			return 0;
		}
		return Math.max(0, Duration.between(oldest, this.clock.instant()).toMillis() / 1000.0);
	}

	private void gauge(String name, String description, ToDoubleFunction<ClusterGauges> value, String... tags) {
		Gauge.builder(name, this, value)
			.description(description)
			.tags(tags)
			.strongReference(true)
			.register(this.registry);
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((r) -> {
			Thread thread = new Thread(r, "raylane-api-cluster-gauges");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(this::checkPools, 0, POOL_CHECK.toMillis(), TimeUnit.MILLISECONDS);
		this.poolCheck = executor;
	}

	private void checkPools() {
		try {
			registerNewPools();
		}
		catch (RuntimeException ex) {
			// never let the periodic check die: the next one retries
			log.warn("pool gauge registration failed", ex);
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.poolCheck;
		if (executor != null) {
			executor.shutdownNow();
			this.poolCheck = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.poolCheck != null;
	}

}
