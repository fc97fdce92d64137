package io.raylane.api.jobs;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.raylane.jobspec.workload.VerlVersion;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.Workload;

/**
 * The JSON Schema (draft 2020-12) of JobSpec v1, derived from the {@link JobSpec} record
 * itself so it cannot drift from what the API parses: snake_case names, no unknown
 * fields, the types the strict parser demands, and one description per field (the field
 * reference is {@code docs/jobspec.md}). Pure.
 */
final class JobSpecSchema {

	static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
			Map.entry("name", "short human name: letters, digits, '.', '_', '-'"),
			Map.entry("workload",
					"what runs: command, ppo, grpo, sft, or nccl_check (an all-reduce bandwidth test per node pair)"),
			Map.entry("command", "the shell command of a command workload"),
			Map.entry("pool", "the pool whose nodes run the job (default: default)"),
			Map.entry("resources", "the gang: nnodes nodes with n_gpus_per_node free GPUs each"),
			Map.entry("timeout", "wall-clock limit once running, e.g. 90m, 2h30m, PT1H"),
			Map.entry("env",
					"environment variables of the driver and every process it starts (win over pool defaults)"),
			Map.entry("node_selector", "labels a node must carry to take part"),
			Map.entry("verl_version", "the verl version whose keys are composed: 0.9 (default), 0.8, 0.7 or 0.6.1"),
			Map.entry("model", "the model to train"),
			Map.entry("model.path", "absolute model folder under the shared root"),
			Map.entry("data", "training and validation files"),
			Map.entry("data.train_files", "absolute parquet file(s) under the shared root: one path or a list"),
			Map.entry("data.val_files",
					"validation file(s), one path or a list (ppo/grpo: the train files when absent)"),
			Map.entry("trainer", "trainer settings; every field has a default"),
			Map.entry("checkpoint", "checkpoint cadence and retention"),
			Map.entry("checkpoint.save_freq", "save every N steps (default 10)"),
			Map.entry("checkpoint.keep_last", "global_step_* folders kept (default 3)"),
			Map.entry("code_path", "code snapshot put first on PYTHONPATH: under common/code/ or users/<you>/code/"),
			Map.entry("reward", "custom reward function (ppo/grpo)"),
			Map.entry("reward.path", "a .py file under common/code/ or users/<you>/code/"),
			Map.entry("reward.function", "the function it defines (default compute_score)"),
			Map.entry("wandb", "Weights & Biases logging"),
			Map.entry("overrides", "extra Hydra overrides, each key=value (+key=value / ++key=value for new keys)"),
			Map.entry("resume_from",
					"id of an earlier job (yours; TIMED_OUT, FAILED or STOPPED; same workload and model) whose "
							+ "checkpoint this one continues from (verl workloads)"),
			Map.entry("resume_step",
					"the earlier job's global_step_<N> to continue from (default: its latest checkpoint)"));

	/** Fields that take one value or a list of them (verl's data files). */
	static final java.util.Set<String> ONE_OR_LIST = java.util.Set.of("data.train_files", "data.val_files");

	private JobSpecSchema() {
	}

	static Map<String, Object> schema() {
		Map<String, Object> schema = new LinkedHashMap<>();
		schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
		schema.put("$id", "/v1/jobspec/schema");
		schema.put("title", "Raylane JobSpec v1");
		schema.putAll(object(JobSpec.class, ""));
		schema.put("required", List.of("workload"));
		return schema;
	}

	private static Map<String, Object> object(Class<?> record, String prefix) {
		Map<String, Object> properties = new LinkedHashMap<>();
		for (RecordComponent component : record.getRecordComponents()) {
			String name = snake(component.getName());
			String path = prefix + name;
			Map<String, Object> property = type(component.getGenericType(), path + ".");
			if (ONE_OR_LIST.contains(path)) {
				Map<String, Object> list = property;
				property = new LinkedHashMap<>();
				property.put("anyOf", List.of(list.get("items"), list));
			}
			if (DESCRIPTIONS.containsKey(path)) {
				property.put("description", DESCRIPTIONS.get(path));
			}
			if (path.equals("workload")) {
				property.put("enum", java.util.Arrays.stream(Workload.values()).map(Workload::wireName).toList());
			}
			if (path.equals("verl_version")) {
				property.put("enum",
						java.util.Arrays.stream(VerlVersion.values()).flatMap((v) -> v.spellings().stream()).toList());
			}
			properties.put(name, property);
		}
		Map<String, Object> object = new LinkedHashMap<>();
		object.put("type", "object");
		object.put("additionalProperties", false);
		object.put("properties", properties);
		return object;
	}

	/** camelCase → snake_case, as Raylane's JSON dialect names record components. */
	static String snake(String name) {
		return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
	}

	private static Map<String, Object> type(Type type, String prefix) {
		Map<String, Object> schema = new LinkedHashMap<>();
		if (type instanceof ParameterizedType parameterized) {
			Class<?> raw = (Class<?>) parameterized.getRawType();
			if (List.class.isAssignableFrom(raw)) {
				schema.put("type", "array");
				schema.put("items", type(parameterized.getActualTypeArguments()[0], prefix));
			}
			else {
				schema.put("type", "object");
				schema.put("additionalProperties", type(parameterized.getActualTypeArguments()[1], prefix));
			}
			return schema;
		}
		Class<?> cls = (Class<?>) type;
		if (cls == Integer.class || cls == int.class) {
			schema.put("type", "integer");
		}
		else if (cls == Double.class) {
			schema.put("type", "number");
		}
		else if (cls == Boolean.class) {
			schema.put("type", "boolean");
		}
		else if (cls == String.class) {
			schema.put("type", "string");
		}
		else if (cls.isRecord()) {
			return object(cls, prefix);
		}
		return schema;
	}

}
