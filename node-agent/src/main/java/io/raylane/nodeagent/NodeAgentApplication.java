package io.raylane.nodeagent;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The node agent: consumes {@code raylane.node-commands} and runs {@code ray start} /
 * {@code ray stop} on worker containers over SSH (Apache MINA SSHD), publishing what
 * happened on {@code raylane.node-events}.
 */
@SpringBootApplication
public class NodeAgentApplication {

	public static final String CONFIG_NAME = "raylane-node-agent";

	/**
	 * The service's application, configured; the all-in-one adds properties and runs it.
	 */
	public static SpringApplicationBuilder builder() {
		return new SpringApplicationBuilder(NodeAgentApplication.class).properties("spring.config.name=" + CONFIG_NAME);
	}

	public static void main(String[] args) {
		builder().run(args);
	}

}
