package io.raylane.api;

import io.raylane.topics.json.Json;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API speaks Raylane's one JSON dialect (snake_case, ISO-8601 instants, nulls
 * omitted): MVC's JSON converter uses the records' own mapper instead of Boot's default
 * one.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

	@Bean
	JsonMapper jsonMapper() {
		return Json.mapper();
	}

}
