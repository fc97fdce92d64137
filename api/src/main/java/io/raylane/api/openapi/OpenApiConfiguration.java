package io.raylane.api.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs} (springdoc): the controllers give the
 * paths and the types, {@link ApiOperations} what springdoc cannot see (bodies read from
 * the raw request, every status an operation answers, the error body).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String BEARER = "bearer";

	@Bean
	OpenAPI raylaneOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Raylane API")
				.version("v1")
				.description("Submit, watch and stop training jobs; pools, queues, usage and nodes. "
						+ "Every path but the health check and this document needs a bearer token."))
			// relative: the document is right wherever the API is reached (proxy, port
			// forward)
			.addServersItem(new Server().url("/"))
			.components(new Components().addSecuritySchemes(BEARER,
					new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
			.addSecurityItem(new SecurityRequirement().addList(BEARER));
	}

	/**
	 * The schemas in the names the API writes: snake_case, as {@code Json.mapper()}
	 * (Jackson 3) answers; swagger-core reads types with its own Jackson 2 mapper.
	 */
	@Bean
	ModelResolver snakeCaseModelResolver() {
		ObjectMapper mapper = Json31.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
		return new ModelResolver(mapper);
	}

	@Bean
	GlobalOpenApiCustomizer raylaneOperations() {
		return ApiOperations::complete;
	}

}
