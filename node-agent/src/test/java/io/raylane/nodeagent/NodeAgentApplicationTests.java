package io.raylane.nodeagent;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

class NodeAgentApplicationTests {

	@Test
	void shouldStartAsABareApplicationWithItsOwnConfigName() {
		try (ConfigurableApplicationContext context = NodeAgentApplication.builder().run()) {
			assertThat(context.isRunning()).isTrue();
			assertThat(context.getEnvironment().getProperty("spring.application.name")).isEqualTo("raylane-node-agent");
		}
	}

}
