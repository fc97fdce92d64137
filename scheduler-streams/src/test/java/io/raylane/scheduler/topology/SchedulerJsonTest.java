package io.raylane.scheduler.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.raylane.scheduler.core.JobState;
import io.raylane.topics.Topics;
import io.raylane.topics.events.DispatchCommand;
import io.raylane.topics.events.StopOnRay;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.job.CheckpointSpec;
import io.raylane.topics.job.DataSpec;
import io.raylane.topics.job.Failure;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.ModelSpec;
import io.raylane.topics.job.NcclBandwidth;
import io.raylane.topics.job.Progress;
import io.raylane.topics.job.Resources;
import io.raylane.topics.job.RewardSpec;
import io.raylane.topics.job.TrainerSpec;
import io.raylane.topics.job.WaitReason;
import io.raylane.topics.job.WandbSpec;
import io.raylane.topics.json.Json;
import io.raylane.topics.json.JsonSerde;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler's encodings that reuse bytes (a spec encoded once, a view encoded once
 * for its row, its guard and its sink) write exactly what the topics' serdes write: every
 * record of a few thousand random jobs, command and verl specs, is encoded both ways and
 * compared byte for byte, the reusing way twice (first encoding, then reuse).
 */
class SchedulerJsonTest {

	private static final JsonSerde<JobEntry> ROWS = new JsonSerde<>(JobEntry.class);

	private final Random random = new Random(4);

	@Test
	void viewsAndDispatchRecordsAreTheTopicsBytes() {
		KeptBytesSerde<JobView> states = new KeptBytesSerde<>(Topics.JOB_STATES);
		KeptBytesSerde<DispatchCommand> dispatch = new KeptBytesSerde<>(Topics.DISPATCH);
		for (JobSpec spec : specs(600)) {
			JobView view = view(spec);
			byte[] expected = Topics.JOB_STATES.valueSerde().serializer().serialize("t", view);
			assertThat(SchedulerJson.write(view)).isEqualTo(expected).isEqualTo(Json.write(view));
			// the spec now comes from the cache, the view's bytes from the memo
			assertThat(SchedulerJson.write(view)).isEqualTo(expected);
			assertThat(states.serialize("t", view)).isEqualTo(expected);
			assertThat(states.serialize("t", view)).isEqualTo(expected);
			SubmitToRay submit = submit(view);
			byte[] expectedSubmit = Topics.DISPATCH.valueSerde().serializer().serialize("t", submit);
			assertThat(dispatch.serialize("t", submit)).isEqualTo(expectedSubmit);
			assertThat(dispatch.serialize("t", submit)).isEqualTo(expectedSubmit);
			StopOnRay stop = new StopOnRay(1, view.jobId(), view.pool(), text());
			assertThat(dispatch.serialize("t", stop))
				.isEqualTo(Topics.DISPATCH.valueSerde().serializer().serialize("t", stop));
		}
	}

	@Test
	void jobRowsAreTheTableBytesAndReadBack() {
		JobRowSerde rows = new JobRowSerde();
		for (JobSpec spec : specs(600)) {
			JobView view = view(spec);
			for (JobEntry entry : List.of(new JobEntry(view, null), row(view), row(view), new JobEntry(null, "x"))) {
				byte[] expected = ROWS.serialize("t", entry);
				assertThat(rows.serialize("t", entry)).isEqualTo(expected);
				assertThat(rows.serialize("t", entry)).isEqualTo(expected);
				assertThat(rows.deserializer().deserialize("t", expected)).isEqualTo(ROWS.deserialize("t", expected));
			}
		}
		assertThat(rows.serialize("t", null)).isNull();
	}

	@Test
	void aSpecIsEncodedOnceAndEveryInstanceOnItsOwn() {
		JobSpec spec = specs(1).get(0);
		JobView queued = view(spec);
		JobView dispatched = queued.toBuilder().status(JobStatus.DISPATCHED).nodes(List.of("n1")).build();
		SchedulerJson.write(queued);
		int cached = SchedulerJson.cachedSpecs();
		assertThat(SchedulerJson.write(dispatched)).isEqualTo(Json.write(dispatched));
		assertThat(SchedulerJson.cachedSpecs()).isEqualTo(cached);
		// an equal spec of another instance (a row read again) is encoded on its own
		JobSpec copy = Json.read(Json.write(spec), JobSpec.class);
		JobView reread = queued.toBuilder().spec(copy).build();
		assertThat(SchedulerJson.write(reread)).isEqualTo(Json.write(reread));
		assertThat(SchedulerJson.cachedSpecs()).isEqualTo(Math.min(cached + 1, SchedulerJson.CACHED_SPECS));
	}

	/**
	 * A lone surrogate (JSON may carry one as an escape) is written as Json writes it.
	 */
	@Test
	void aBrokenSurrogateIsWrittenAsJsonWritesIt() {
		JobSpec spec = new JobSpec("x\uD800", "command", "echo \uDC00 done", null, null, null, Map.of("K", "\uD800"));
		JobView view = view(spec);
		assertThat(outcome(() -> SchedulerJson.write(view))).isEqualTo(outcome(() -> Json.write(view)));
	}

	private static String outcome(java.util.function.Supplier<byte[]> write) {
		try {
			return java.util.Arrays.toString(write.get());
		}
		catch (RuntimeException ex) {
			return ex.getClass().getName();
		}
	}

	@Test
	void theSpecCacheIsBounded() {
		for (JobSpec spec : specs(SchedulerJson.CACHED_SPECS + 50)) {
			SchedulerJson.write(spec);
		}
		assertThat(SchedulerJson.cachedSpecs()).isEqualTo(SchedulerJson.CACHED_SPECS);
	}

	private JobEntry row(JobView view) {
		boolean resubmit = this.random.nextBoolean();
		return new JobEntry(view, maybe(text()), maybe("000001767225600000|" + view.jobId()), maybe(instant()),
				resubmit ? new JobState.Resubmit(this.random.nextInt(5), instant(), maybe(instant())) : null);
	}

	private JobView view(JobSpec spec) {
		JobStatus status = JobStatus.values()[this.random.nextInt(JobStatus.values().length)];
		return JobView.builder()
			.jobId("j-" + this.random.nextInt(1_000_000))
			.name(spec.name())
			.user(maybe(text()))
			.workload(spec.workload())
			.pool(spec.poolOrDefault())
			.status(status)
			.reason(maybe(text()))
			.resources(spec.resourcesOrDefault())
			.submittedAt(instant())
			.dispatchedAt(maybe(instant()))
			.startedAt(maybe(instant()))
			.endedAt(maybe(instant()))
			.driverNodeIp(maybe("127.0.0." + this.random.nextInt(255)))
			.jobDir(maybe("/shared/jobs/" + text()))
			.exitCode(maybe(this.random.nextInt(256)))
			.message(maybe(text()))
			.nodes(this.random.nextBoolean() ? List.of("node-1", "node-2") : null)
			.spec(spec)
			.updatedAt(instant())
			.position(maybe(this.random.nextInt(100_000)))
			.reasons(maybe(List.of(new WaitReason("no_fit", text()), new WaitReason("quota", null))))
			.estimatedStart(maybe(instant()))
			.failure(maybe(new Failure("oom", List.of(text(), text()), maybe(text()))))
			.progress(maybe(new Progress(3, 10, instant(), Map.of("loss", 0.25))))
			.ncclBandwidth(maybe(List.of(new NcclBandwidth(List.of("a", "b"), 12.5, 1L << 30, 11.0, 0, 0))))
			.placement(maybe(List.of("127.0.0.2")))
			.build();
	}

	private SubmitToRay submit(JobView view) {
		Map<String, Object> runtimeEnv = new LinkedHashMap<>();
		runtimeEnv.put("env_vars", Map.of("PYTHONPATH", text(), "HF_HOME", "/shared/hf"));
		return new SubmitToRay(1, view.jobId(), view.user(), view.pool(), view.spec(), text(), runtimeEnv,
				Map.of("raylane-pool-" + view.pool(), 1.0), Map.of("raylane_user", String.valueOf(view.user())),
				view.jobDir(), view.nodes());
	}

	/** Command specs and full verl specs, with texts that need escaping. */
	private List<JobSpec> specs(int count) {
		List<JobSpec> specs = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Map<String, String> env = new LinkedHashMap<>();
			for (int e = this.random.nextInt(4); e > 0; e--) {
				env.put("K" + e + text(), text());
			}
			if (i % 3 == 0) {
				specs.add(new JobSpec(maybe(text()), "command", text(), maybe("pool-" + i % 4),
						maybe(Resources.of(1 + i % 3, i % 9)), maybe("1h30m"), maybe(env)));
			}
			else {
				TrainerSpec trainer = new TrainerSpec(3, 500, 128, 32, 2, 2048, 4096, null, 0.000001, "sglang",
						(i % 2 == 0) ? 8 : null, 4, 0.6, 25, false, "disable");
				specs.add(new JobSpec("math-" + text(), (i % 2 == 0) ? "grpo" : "ppo", null, "default",
						Resources.of(2, 8), maybe("2h"), env, maybe(Map.of("gpu", "h100")), "0.7.0",
						new ModelSpec("/shared/common/models/Qwen2.5-0.5B"),
						new DataSpec(List.of("/shared/a.parquet", text()), maybe(List.of("/shared/b.parquet"))),
						trainer, new CheckpointSpec(20, 2), maybe("/shared/users/ana/code/" + text()),
						maybe(new RewardSpec("/shared/rw.py", "score")), maybe(new WandbSpec(true, text(), text())),
						maybe(List.of("actor_rollout_ref.actor.entropy_coeff=0", text())), maybe("j-" + i), maybe(i)));
			}
		}
		return specs;
	}

	private <T> T maybe(T value) {
		return this.random.nextInt(3) == 0 ? null : value;
	}

	private Instant instant() {
		return Instant.ofEpochSecond(1_700_000_000L + this.random.nextInt(100_000_000),
				(this.random.nextInt(4) == 0) ? 0 : this.random.nextInt(1_000_000_000));
	}

	/**
	 * A text with quotes, backslashes, control characters, non-ASCII and astral
	 * characters.
	 */
	private String text() {
		String[] parts = { "a", "b c", "\"", "\\", "\n", "\t", "\u0001", "é", "日本", "\uD83D\uDE80", "$HOME", "'", "/",
				"</script>", "\u2028" };
		StringBuilder text = new StringBuilder();
		for (int n = 1 + this.random.nextInt(6); n > 0; n--) {
			text.append(parts[this.random.nextInt(parts.length)]);
		}
		return text.toString();
	}

}
