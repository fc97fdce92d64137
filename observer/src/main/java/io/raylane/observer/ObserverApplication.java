package io.raylane.observer;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The observer service: polls Ray's Jobs and State APIs and the GPU metrics of Ray's
 * nodes, and publishes, in one Kafka transaction per poll, what changed on
 * {@code raylane.ray-observations} (JobObserved) and {@code raylane.node-events}
 * (NodeObserved), per-job GPU accounting on {@code raylane.accounting} (GpuUsage) and
 * idle-GPU alerts on {@code raylane.alerts} (Alert). Run exactly one observer per
 * transactional id.
 */
@SpringBootApplication
public class ObserverApplication {

	public static final String CONFIG_NAME = "raylane-observer";

	/**
	 * The service's application, configured; the all-in-one adds properties and runs it.
	 */
	public static SpringApplicationBuilder builder() {
		return new SpringApplicationBuilder(ObserverApplication.class).properties("spring.config.name=" + CONFIG_NAME);
	}

	public static void main(String[] args) {
		builder().run(args);
	}

}
