package io.raylane.scheduler;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-pool default environment binds from properties with its variable names' case
 * kept.
 */
class SchedulerPropertiesBindingTest {

	@Test
	void shouldBindThePoolEnvironmentKeepingVariableNames() {
		MapConfigurationPropertySource source = new MapConfigurationPropertySource(
				Map.of("raylane.scheduler.pool-env.default.[NCCL_IB_HCA]", "mlx5",
						"raylane.scheduler.pool-env.a100.[NCCL_SOCKET_IFNAME]", "eth0"));

		SchedulerProperties properties = new Binder(source).bindOrCreate("raylane.scheduler",
				SchedulerProperties.class);

		assertThat(properties.poolEnv()).containsEntry("default", Map.of("NCCL_IB_HCA", "mlx5"))
			.containsEntry("a100", Map.of("NCCL_SOCKET_IFNAME", "eth0"));
		assertThat(properties.planWindow()).isEqualTo(32);
	}

}
