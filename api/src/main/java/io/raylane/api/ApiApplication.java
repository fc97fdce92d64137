package io.raylane.api;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The REST API: accepts JobSpecs and stop requests and writes them as commands to
 * {@code raylane.job-commands}; serves reads from its materialized view of
 * {@code raylane.job-states}; writes who did what to {@code raylane.audit}; serves GPU
 * usage from its ledger of {@code raylane.accounting}; exports cluster-state gauges and
 * counts {@code raylane.dead-letters}. Config file: {@code raylane-api.yaml}.
 */
@SpringBootApplication
@EnableConfigurationProperties({ ApiProperties.class, LogFollowProperties.class })
public class ApiApplication {

	public static final String CONFIG_NAME = "raylane-api";

	/**
	 * The service's application, configured; the all-in-one adds properties and runs it.
	 */
	public static SpringApplicationBuilder builder() {
		return new SpringApplicationBuilder(ApiApplication.class).properties("spring.config.name=" + CONFIG_NAME);
	}

	public static void main(String[] args) {
		builder().run(args);
	}

}
