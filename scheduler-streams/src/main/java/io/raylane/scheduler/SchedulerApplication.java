package io.raylane.scheduler;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The scheduler service: runs the Kafka Streams topology that turns
 * {@code raylane.job-commands}, {@code raylane.node-events},
 * {@code raylane.ray-observations} and {@code raylane.submit-results} into
 * {@code raylane.dispatch}, {@code raylane.job-states} and {@code raylane.node-states}
 * (see {@link io.raylane.scheduler.topology.SchedulerTopology}).
 */
@SpringBootApplication
public class SchedulerApplication {

	public static final String CONFIG_NAME = "raylane-scheduler";

	/**
	 * The service's application, configured; the all-in-one adds properties and runs it.
	 */
	public static SpringApplicationBuilder builder() {
		return new SpringApplicationBuilder(SchedulerApplication.class).properties("spring.config.name=" + CONFIG_NAME);
	}

	public static void main(String[] args) {
		builder().run(args);
	}

}
