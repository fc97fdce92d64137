package io.raylane.api.openapi;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.raylane.topics.node.NodeSpec;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

/**
 * What springdoc cannot read from the controllers, per operation: the body a handler
 * reads from the raw request (so that it can bound and strictly parse it), and every
 * status it answers. The error statuses all carry {@code ErrorBody}; the CI fuzz
 * (schemathesis, docs/api.md) fails on any status or body that this table does not
 * document, so it is kept true by the build.
 */
final class ApiOperations {

	static final String ERROR = "ErrorBody";

	static final String JSON = "application/json";

	/**
	 * Statuses every operation can answer: a request the container could not read (e.g. a
	 * URL with a character it refuses, a malformed query string), no or a bad token.
	 */
	private static final Set<Integer> ALWAYS = Set.of(400, 401);

	/** method and path → statuses besides {@link #ALWAYS}. */
	static final Map<String, Set<Integer>> STATUSES = Map.ofEntries(Map.entry("GET /v1/jobs", Set.of(200, 400)),
			Map.entry("POST /v1/jobs", Set.of(200, 202, 400, 409, 413, 415, 429, 503)),
			Map.entry("GET /v1/jobs/{id}", Set.of(200, 404)),
			Map.entry("POST /v1/jobs/{id}:stop", Set.of(200, 202, 404, 413, 503)),
			Map.entry("GET /v1/jobs/{id}/logs", Set.of(200, 404, 429, 502)),
			Map.entry("GET /v1/jobspec/schema", Set.of(200)),
			Map.entry("POST /v1/code", Set.of(200, 201, 400, 413, 415, 503)),
			Map.entry("GET /v1/code", Set.of(200, 503)), Map.entry("GET /v1/queue", Set.of(200, 400)),
			Map.entry("GET /v1/usage", Set.of(200, 400, 403)), Map.entry("GET /v1/nodes", Set.of(200, 400, 403)),
			Map.entry("POST /v1/nodes", Set.of(202, 400, 403, 409, 413, 503)),
			Map.entry("GET /v1/nodes/{id}", Set.of(200, 403, 404)),
			Map.entry("POST /v1/nodes/{id}:drain", Set.of(202, 400, 403, 404, 409, 413, 503)),
			Map.entry("POST /v1/nodes/{id}:undrain", Set.of(202, 403, 404, 409, 413, 503)),
			Map.entry("DELETE /v1/nodes/{id}", Set.of(202, 403, 404, 409, 413, 503)),
			Map.entry("POST /v1/ops/cleanup_job_artifacts", Set.of(200, 400, 403, 413, 503)),
			Map.entry("GET /v1/storage", Set.of(200)),
			Map.entry("POST /v1/ops/drain_node", Set.of(200, 202, 400, 403, 404, 409, 413, 503)),
			Map.entry("POST /v1/ops/restart_ray_head", Set.of(200, 202, 400, 403, 404, 409, 413, 503)),
			Map.entry("GET /v1/ops/operations/{id}", Set.of(200, 403, 404)));

	private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(200, "OK"), Map.entry(201, "Created"),
			Map.entry(202, "Accepted"), Map.entry(400, "A field or parameter is invalid; `field` names it"),
			Map.entry(401, "No token, or an unknown one"), Map.entry(403, "The caller's role may not do this"),
			Map.entry(404, "No such resource, or another user's"),
			Map.entry(409, "Conflicts with the resource's state"), Map.entry(413, "The body is too large"),
			Map.entry(415, "The body's media type is not accepted"),
			Map.entry(429, "Too many at once: the caller's jobs, or the API's log streams"),
			Map.entry(502, "Ray did not answer"), Map.entry(503, "Kafka did not take the write; send it again"));

	private ApiOperations() {
	}

	/**
	 * Properties the API writes even when null ({@code @JsonInclude(ALWAYS)}): every
	 * field of a node ({@code NodeResponses.NodeResponse}), {@code as_of} of
	 * {@code UsageResponse}. Everything else is left out when null, as the API's mapper
	 * does by default.
	 */
	static final Map<String, Set<String>> NULLABLE = Map.of("NodeResponse", Set.of("*"), "UsageResponse",
			Set.of("as_of"), "DrainNodeResponse", Set.of("*"), "RestartRayHeadResponse", Set.of("*"), "OpsWorkerAction",
			Set.of("*"));

	static void complete(OpenAPI api) {
		nullable(api);
		api.getComponents().addSchemas(ERROR, errorBody());
		api.getComponents().addSchemas("DrainRequest", drainRequest());
		api.getComponents().addSchemas("CleanupRequest", cleanupRequest());
		api.getComponents().addSchemas("DrainNodeRequest", drainNodeRequest());
		api.getComponents().addSchemas("RestartRayHeadRequest", restartRayHeadRequest());
		// the NodeSpec is read from the raw body, so springdoc has not met its type
		ModelConverters.getInstance(true).readAll(NodeSpec.class).forEach(api.getComponents()::addSchemas);
		api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
			String key = method.name() + " " + path;
			complete(key, operation);
		}));
		bodies(api);
	}

	private static void nullable(OpenAPI api) {
		NULLABLE.forEach((name, properties) -> {
			Schema<?> schema = api.getComponents().getSchemas().get(name);
			if (schema == null || schema.getProperties() == null) {
				throw new IllegalStateException("the OpenAPI document has no schema " + name + " with properties");
			}
			schema.getProperties()
				.replaceAll((property, value) -> (properties.contains("*") || properties.contains(property))
						? orNull(value) : value);
		});
	}

	/** The schema, or null (OpenAPI 3.1: JSON Schema's {@code "null"} type). */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	static Schema<?> orNull(Schema<?> schema) {
		if (schema.get$ref() != null) {
			Schema<Object> none = new Schema<>();
			none.setTypes(Set.of("null"));
			return new Schema<>().anyOf(List.of(schema, none));
		}
		Set<String> types = new java.util.LinkedHashSet<>();
		if (schema.getTypes() != null) {
			types.addAll(schema.getTypes());
		}
		if (schema.getType() != null) {
			types.add(schema.getType());
		}
		types.add("null");
		schema.setTypes(types);
		if (schema.getEnum() != null && !schema.getEnum().contains(null)) {
			((Schema) schema).addEnumItemObject(null);
		}
		return schema;
	}

	private static void complete(String key, Operation operation) {
		ApiResponses responses = (operation.getResponses() != null) ? operation.getResponses() : new ApiResponses();
		ApiResponse success = responses.values().stream().findFirst().orElse(new ApiResponse());
		// springdoc writes */* for a controller without `produces`: the API answers JSON
		responses.values().forEach(ApiOperations::jsonInsteadOfAnyType);
		Set<Integer> statuses = new java.util.TreeSet<>(STATUSES.getOrDefault(key, Set.of(200)));
		statuses.addAll(ALWAYS);
		Map<String, ApiResponse> documented = new TreeMap<>();
		for (int status : statuses) {
			ApiResponse existing = responses.get(String.valueOf(status));
			documented.put(String.valueOf(status), (existing != null) ? existing.description(REASONS.get(status))
					: (status < 400) ? copy(success, status) : error(status));
		}
		ApiResponses ordered = new ApiResponses();
		documented.forEach(ordered::addApiResponse);
		operation.setResponses(ordered);
	}

	private static ApiResponse copy(ApiResponse success, int status) {
		return new ApiResponse().description(REASONS.get(status)).content(success.getContent());
	}

	private static ApiResponse error(int status) {
		return new ApiResponse().description(REASONS.get(status))
			.content(new Content().addMediaType(JSON,
					new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR))));
	}

	private static void jsonInsteadOfAnyType(ApiResponse response) {
		Content content = response.getContent();
		if (content != null && content.containsKey("*/*")) {
			MediaType any = content.remove("*/*");
			content.addMediaType(JSON, any);
		}
	}

	/** The bodies the handlers read themselves (bounded, strict): springdoc sees none. */
	private static void bodies(OpenAPI api) {
		operation(api, "/v1/jobs", PathItem.HttpMethod.POST).requestBody(new RequestBody().required(true)
			.description("A JobSpec, as JSON or YAML (GET /v1/jobspec/schema gives its JSON Schema)")
			.content(
					new Content().addMediaType(JSON, ref("JobSpec")).addMediaType("application/yaml", ref("JobSpec"))));
		// issue 15: ?follow=true streams the log as text/plain (a handler of its own,
		// hidden from springdoc so that the path keeps one operation)
		Operation logs = operation(api, "/v1/jobs/{id}/logs", PathItem.HttpMethod.GET);
		logs.addParametersItem(new QueryParameter().name("follow")
			.required(false)
			.description("true: the log as it grows, chunked text/plain, until the job ends (bounded per "
					+ "connection); otherwise the JSON answer")
			.schema(new BooleanSchema()));
		logs.getResponses()
			.get("200")
			.getContent()
			.addMediaType("text/plain", new MediaType().schema(new StringSchema()));
		Schema<?> binary = new StringSchema().format("binary");
		operation(api, "/v1/code", PathItem.HttpMethod.POST).requestBody(new RequestBody().required(true)
			.description(
					"A code tree as a zip or a tar.gz (as application/octet-stream: told apart by its first bytes); "
							+ "regular files and directories only, relative paths")
			.content(new Content().addMediaType("application/zip", new MediaType().schema(binary))
				.addMediaType("application/gzip", new MediaType().schema(binary))
				.addMediaType("application/octet-stream", new MediaType().schema(binary))));
		operation(api, "/v1/nodes", PathItem.HttpMethod.POST).requestBody(new RequestBody().required(true)
			.description("A NodeSpec: unknown and duplicate fields are refused")
			.content(new Content().addMediaType(JSON, ref("NodeSpec"))));
		operation(api, "/v1/nodes/{id}:drain", PathItem.HttpMethod.POST).requestBody(new RequestBody().required(false)
			.description("Optional: when the drain ends (an instant, or a duration from now such as 10m)")
			.content(new Content().addMediaType(JSON, ref("DrainRequest"))));
		operation(api, "/v1/ops/cleanup_job_artifacts", PathItem.HttpMethod.POST)
			.requestBody(new RequestBody().required(true)
				.description("Which finished jobs (job_ids, older_than, user, states: at least one; all given must "
						+ "match), what to keep, and whether to only report; unknown fields are refused")
				.content(new Content().addMediaType(JSON, ref("CleanupRequest"))));
		operation(api, "/v1/ops/drain_node", PathItem.HttpMethod.POST).requestBody(new RequestBody().required(true)
			.description("The node, an optional deadline (or timeout), reason and dry_run; unknown fields are refused")
			.content(new Content().addMediaType(JSON, ref("DrainNodeRequest"))));
		operation(api, "/v1/ops/restart_ray_head", PathItem.HttpMethod.POST)
			.requestBody(new RequestBody().required(false)
				.description("Optional: force (end the jobs Ray holds) and dry_run")
				.content(new Content().addMediaType(JSON, ref("RestartRayHeadRequest"))));
	}

	private static Operation operation(OpenAPI api, String path, PathItem.HttpMethod method) {
		return api.getPaths().get(path).readOperationsMap().get(method);
	}

	private static MediaType ref(String schema) {
		return new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + schema));
	}

	private static Schema<?> errorBody() {
		Schema<Object> nullableString = new Schema<>();
		nullableString.setTypes(Set.of("string", "null"));
		Schema<?> fieldError = new ObjectSchema().addProperty("field", new StringSchema())
			.addProperty("message", new StringSchema());
		return new ObjectSchema().description("The body of every error answer")
			.addProperty("error", new StringSchema().description("a stable, machine-readable code"))
			.addProperty("field", nullableString.description("the dotted snake_case field at fault, or null"))
			.addProperty("detail", new StringSchema().description("what is wrong, for humans"))
			.addProperty("errors", new ArraySchema().items(fieldError).description("every field problem"))
			.required(List.of("error", "detail"));
	}

	private static Schema<?> cleanupRequest() {
		Schema<?> keep = new ObjectSchema()
			.addProperty("last_checkpoints",
					new io.swagger.v3.oas.models.media.IntegerSchema().minimum(java.math.BigDecimal.ZERO)
						.maximum(java.math.BigDecimal.valueOf(1000))
						.description("newest global_step_* folders kept (default 1)"))
			.addProperty("logs", new BooleanSchema().description("keep logs/ (default true)"))
			.addProperty("config", new BooleanSchema().description("keep config/ (default true)"));
		return new ObjectSchema()
			.addProperty("job_ids",
					new ArraySchema().items(new StringSchema().pattern("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"))
						.minItems(1)
						.maxItems(1000))
			.addProperty("older_than", new StringSchema().description("ended longer ago than this, e.g. 14d"))
			.addProperty("user",
					new StringSchema().pattern("^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$").description("jobs of this user"))
			.addProperty("states", new ArraySchema()
				.items(new StringSchema()._enum(List.of("SUCCEEDED", "FAILED", "STOPPED", "TIMED_OUT", "REJECTED")))
				.minItems(1))
			.addProperty("keep", keep)
			.addProperty("dry_run", new BooleanSchema().description("report only, delete nothing (default false)"));
	}

	private static Schema<?> drainNodeRequest() {
		return new ObjectSchema().addProperty("node_id", new StringSchema())
			.addProperty("deadline", new StringSchema().format("date-time"))
			.addProperty("timeout", new StringSchema().description("a duration from now, e.g. 10m or 2h"))
			.addProperty("reason", new StringSchema().maxLength(500))
			.addProperty("dry_run", new BooleanSchema())
			.required(List.of("node_id"));
	}

	private static Schema<?> restartRayHeadRequest() {
		return new ObjectSchema().addProperty("force", new BooleanSchema()).addProperty("dry_run", new BooleanSchema());
	}

	private static Schema<?> drainRequest() {
		return new ObjectSchema().addProperty("deadline", new StringSchema().format("date-time"))
			.addProperty("timeout", new StringSchema().description("a duration from now, e.g. 10m or 2h"));
	}

}
