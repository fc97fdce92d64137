package io.raylane.nodeagent;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The node agent: will consume {@code raylane.node-commands} and run {@code ray start} / {@code ray stop} on
 * worker containers over SSH, publishing {@code raylane.node-events}. Until the fleet issue it is a bare
 * application, so that deployments already have the process and its configuration in place.
 */
@SpringBootApplication
public class NodeAgentApplication {

	public static final String CONFIG_NAME = "raylane-node-agent";

	/** The service's application, configured; the all-in-one adds properties and runs it. */
	public static SpringApplicationBuilder builder() {
		return new SpringApplicationBuilder(NodeAgentApplication.class).properties("spring.config.name=" + CONFIG_NAME);
	}

	public static void main(String[] args) {
		builder().run(args);
	}

}
