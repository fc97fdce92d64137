package io.raylane.submitter;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The submitter service: consumes {@code raylane.dispatch}, writes job directories, calls
 * Ray's Jobs API and publishes {@code raylane.submit-results}; archives driver logs of
 * finished jobs from {@code raylane.job-states}.
 */
@SpringBootApplication
public class SubmitterApplication {

	public static final String CONFIG_NAME = "raylane-submitter";

	/**
	 * The service's application, configured; the all-in-one adds properties and runs it.
	 */
	public static SpringApplicationBuilder builder() {
		return new SpringApplicationBuilder(SubmitterApplication.class).properties("spring.config.name=" + CONFIG_NAME);
	}

	public static void main(String[] args) {
		builder().run(args);
	}

}
