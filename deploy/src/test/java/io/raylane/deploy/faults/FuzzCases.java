package io.raylane.deploy.faults;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Malformed inputs drawn from a seed, each malformed by construction (not merely
 * unusual): JobSpecs for {@code POST /v1/jobs} and raw records for the intake topics.
 * Pure.
 */
public final class FuzzCases {

	/**
	 * One request.
	 *
	 * @param kind how it was broken (a figures row)
	 * @param contentType its Content-Type (null: none)
	 * @param body its bytes
	 */
	public record Request(String kind, String contentType, byte[] body) {
	}

	/**
	 * One record.
	 *
	 * @param kind how it was broken
	 * @param topic where it goes
	 * @param key its key
	 * @param value its bytes (never null: a tombstone is not malformed)
	 */
	public record Record(String kind, String topic, String key, byte[] value) {
	}

	static final String JSON = "application/json";

	static final String YAML = "application/yaml";

	/** A valid spec as JSON, with a placeholder for one value or field. */
	static String spec(String name, String nnodes, String gpus, String timeout, String extra) {
		return "{\"name\":" + name + ",\"workload\":\"command\",\"command\":\"sleep 1\",\"resources\":{\"nnodes\":"
				+ nnodes + ",\"n_gpus_per_node\":" + gpus + "},\"timeout\":" + timeout + extra + "}";
	}

	static final String VALID_JSON = spec("\"fz\"", "1", "1", "\"10m\"", "");

	static final String VALID_YAML = """
			name: fz
			workload: command
			command: sleep 1
			resources: {nnodes: 1, n_gpus_per_node: 1}
			timeout: 10m
			""";

	/**
	 * Values no field of its type accepts: objects and arrays where a scalar belongs,
	 * words where a number belongs (not "2", which a lenient reader may coerce).
	 */
	static final List<String> NOT_A_NUMBER = List.of("\"two\"", "{\"n\":1}", "[1]", "\"\"", "\"1e2x\"");

	static final List<String> NOT_A_STRING = List.of("{\"a\":1}", "[\"x\"]", "[]", "{}");

	static final List<String> HUGE_NUMBERS = List.of("99999999999999999999", "2147483648", "-1", "1e400",
			"-99999999999999999999", "9223372036854775808");

	static final List<String> HUGE_TIMEOUTS = List.of("\"99999999999999999999d\"", "\"1000000000000d\"",
			"\"9223372036854775807s\"", "\"-5m\"", "\"10 fortnights\"", "\"P99999999999D\"");

	private static final List<Function<Random, Request>> REQUESTS = List.of(FuzzCases::wrongType, FuzzCases::huge,
			FuzzCases::unknownField, FuzzCases::brokenJson, FuzzCases::brokenYaml, FuzzCases::deepNesting,
			FuzzCases::badUnicode, FuzzCases::oversize, FuzzCases::wrongContentType);

	private FuzzCases() {
	}

	/**
	 * The requests, each drawn when the iteration reaches it: the full form's 10,000 hold
	 * about 1,100 oversize bodies of 1-2 MB, more than a test JVM's heap all at once.
	 */
	public static Iterable<Request> requests(long seed, int count) {
		return () -> new java.util.Iterator<>() {

			private final Random random = new Random(seed);

			private int drawn;

			@Override
			public boolean hasNext() {
				return this.drawn < count;
			}

			@Override
			public Request next() {
				if (!hasNext()) {
					throw new java.util.NoSuchElementException();
				}
				return REQUESTS.get(this.drawn++ % REQUESTS.size()).apply(this.random);
			}

		};
	}

	static Request wrongType(Random random) {
		String body = switch (random.nextInt(5)) {
			case 0 -> spec(pick(random, NOT_A_STRING), "1", "1", "\"10m\"", "");
			case 1 -> spec("\"fz\"", pick(random, NOT_A_NUMBER), "1", "\"10m\"", "");
			case 2 -> spec("\"fz\"", "1", pick(random, NOT_A_NUMBER), "\"10m\"", "");
			case 3 -> spec("\"fz\"", "1", "1", pick(random, NOT_A_STRING), "");
			default -> VALID_JSON.replace("\"resources\":{\"nnodes\":1,\"n_gpus_per_node\":1}",
					"\"resources\":" + pick(random, List.of("\"big\"", "[1,1]", "7")));
		};
		return json("wrong type", body);
	}

	static Request huge(Random random) {
		String body = switch (random.nextInt(3)) {
			case 0 -> spec("\"fz\"", pick(random, HUGE_NUMBERS), "1", "\"10m\"", "");
			case 1 -> spec("\"fz\"", "1", pick(random, HUGE_NUMBERS), "\"10m\"", "");
			default -> spec("\"fz\"", "1", "1", pick(random, HUGE_TIMEOUTS), "");
		};
		return json("huge value", body);
	}

	static Request unknownField(Random random) {
		String field = "\"bogus_" + Integer.toString(random.nextInt(1 << 20), 36) + "\":1";
		String body = random.nextBoolean() ? spec("\"fz\"", "1", "1", "\"10m\"", "," + field)
				: VALID_JSON.replace("\"n_gpus_per_node\":1", "\"n_gpus_per_node\":1," + field);
		return json("unknown field", body);
	}

	/** A strict prefix of a JSON object is never a JSON document. */
	static Request brokenJson(Random random) {
		return json("broken JSON", VALID_JSON.substring(0, 1 + random.nextInt(VALID_JSON.length() - 1)));
	}

	static Request brokenYaml(Random random) {
		String body = switch (random.nextInt(4)) {
			// an unclosed flow mapping
			case 0 -> VALID_YAML.replace("n_gpus_per_node: 1}", "n_gpus_per_node: 1");
			// a tab where YAML forbids one
			case 1 -> VALID_YAML.replace("command: sleep 1", "command:\n\t- sleep 1");
			// an unclosed quote
			case 2 -> VALID_YAML.replace("name: fz", "name: \"fz");
			// a key twice
			default -> VALID_YAML + "name: again\n";
		};
		return new Request("broken YAML", YAML, body.getBytes(StandardCharsets.UTF_8));
	}

	static Request deepNesting(Random random) {
		int depth = 1_000 + random.nextInt(50_000);
		if (random.nextBoolean()) {
			return json("deep nesting",
					spec("\"fz\"", "1", "1", "\"10m\"", ",\"env\":" + "[".repeat(depth) + "]".repeat(depth)));
		}
		return new Request("deep nesting", YAML,
				(VALID_YAML + "env: " + "[".repeat(depth) + "]".repeat(depth) + "\n").getBytes(StandardCharsets.UTF_8));
	}

	static Request badUnicode(Random random) {
		return switch (random.nextInt(3)) {
			// bytes that are no UTF-8 at all
			case 0 -> new Request("bad unicode", JSON, concat(VALID_JSON.substring(0, 9),
					new byte[] { (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE }, VALID_JSON.substring(10)));
			// a lone surrogate
			case 1 -> json("bad unicode", VALID_JSON.replace("\"fz\"", "\"f\\ud800z\""));
			// a control character in the name
			default -> json("bad unicode", VALID_JSON.replace("\"fz\"", "\"f\\u0000z\""));
		};
	}

	static Request oversize(Random random) {
		int size = 1_100_000 + random.nextInt(1_000_000);
		return json("oversize", VALID_JSON.replace("sleep 1", "x".repeat(size)));
	}

	static Request wrongContentType(Random random) {
		String type = pick(random, List.of("text/plain", "application/xml", "application/x-www-form-urlencoded"));
		return new Request("wrong content type", type, VALID_JSON.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * A record of each intake topic's family, as JSON (snake_case, as the topics write
	 * it), to break: the start of a real one, its id the field {@code "<id>"}.
	 */
	static final Map<String, String> RECORD_SHAPES = Map.of("raylane.job-commands",
			"{\"type\":\"SubmitJob\",\"schema_version\":1,\"job_id\":\"rl-fuzz\",\"user\":\"alice\",\"spec\":"
					+ VALID_JSON + "}",
			"raylane.node-events",
			"{\"type\":\"Provisioned\",\"schema_version\":1,\"node_id\":\"fuzz-node\",\"pool\":\"default\",\"exit_code\":0}",
			"raylane.ray-observations",
			"{\"type\":\"JobObserved\",\"schema_version\":1,\"job_id\":\"rl-fuzz\",\"ray_status\":\"RUNNING\"}",
			"raylane.submit-results",
			"{\"type\":\"Submitted\",\"schema_version\":1,\"job_id\":\"rl-fuzz\",\"pool\":\"default\"}",
			"raylane.dispatch",
			"{\"type\":\"SubmitToRay\",\"schema_version\":1,\"job_id\":\"rl-fuzz\",\"user\":\"alice\",\"pool\":\"default\"}",
			"raylane.node-commands",
			"{\"type\":\"ProvisionNode\",\"schema_version\":1,\"node_id\":\"fuzz-node\",\"pool\":\"default\"}");

	/** The id field of a shape given a value no string field accepts. */
	static String wrongTypedId(String shape, Random random) {
		return shape.replaceFirst("\"(job_id|node_id)\":\"[^\"]*\"",
				"\"$1\":" + pick(random, List.of("{\"n\":1}", "{}", "{\"job_id\":\"x\"}")));
	}

	public static List<Record> records(long seed, int count) {
		Random random = new Random(seed);
		List<String> topics = RECORD_SHAPES.keySet().stream().sorted().toList();
		List<Record> cases = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			String topic = topics.get(i % topics.size());
			String shape = RECORD_SHAPES.get(topic);
			String key = "fuzz-" + i;
			cases.add(switch (random.nextInt(7)) {
				case 0 -> record("truncated", topic, key, shape.substring(0, 1 + random.nextInt(shape.length() - 1)));
				case 1 -> record("unknown type", topic, key,
						shape.replaceFirst("\"type\":\"[A-Za-z]+\"", "\"type\":\"Bogus" + random.nextInt(1000) + "\""));
				case 2 -> record("wrong type", topic, key, wrongTypedId(shape, random));
				case 3 ->
					record("not an object", topic, key, pick(random, List.of("[]", "42", "\"text\"", "true", "null")));
				case 4 -> new Record("bad unicode", topic, key,
						new byte[] { (byte) 0xFF, (byte) 0xFE, (byte) 0xC3, (byte) 0x28, (byte) random.nextInt(256) });
				case 5 -> record("deep nesting", topic, key, "[".repeat(1_000 + random.nextInt(20_000)));
				default -> record("garbage", topic, key, garbage(random));
			});
		}
		return cases;
	}

	private static Record record(String kind, String topic, String key, String value) {
		return new Record(kind, topic, key, value.getBytes(StandardCharsets.UTF_8));
	}

	private static String garbage(Random random) {
		StringBuilder text = new StringBuilder();
		int length = 1 + random.nextInt(2000);
		for (int i = 0; i < length; i++) {
			text.append((char) (0x21 + random.nextInt(0x5E)));
		}
		// never a JSON document: an object cannot start with '#'
		return "#" + text;
	}

	private static Request json(String kind, String body) {
		return new Request(kind, JSON, body.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] concat(String head, byte[] middle, String tail) {
		byte[] a = head.getBytes(StandardCharsets.UTF_8);
		byte[] c = tail.getBytes(StandardCharsets.UTF_8);
		byte[] all = new byte[a.length + middle.length + c.length];
		System.arraycopy(a, 0, all, 0, a.length);
		System.arraycopy(middle, 0, all, a.length, middle.length);
		System.arraycopy(c, 0, all, a.length + middle.length, c.length);
		return all;
	}

	private static <T> T pick(Random random, List<T> values) {
		return values.get(random.nextInt(values.size()));
	}

}
