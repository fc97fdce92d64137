package io.raylane.api.jobs;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/jobspec/schema}: the JSON Schema of JobSpec v1 (any valid token). */
@RestController
class JobSpecSchemaController {

	private static final Map<String, Object> SCHEMA = JobSpecSchema.schema();

	@GetMapping(path = "/v1/jobspec/schema", produces = "application/schema+json")
	Map<String, Object> schema() {
		return SCHEMA;
	}

}
