package io.raylane.support;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code raylane.ray.metrics-port}, the one port the node-agent gives {@code ray start}
 * and the observer scrapes (issue 11): bound from RAYLANE_RAY_METRICS_PORT, 8090 when
 * unset, refused at start-up when it is no port.
 */
class RayMetricsPortSettingTest {

	@Test
	void shouldBindTheEnvironmentName() {
		assertThat(bind(Map.of("RAYLANE_RAY_METRICS_PORT", "9100")).ray().metricsPort()).isEqualTo(9100);
	}

	@Test
	void shouldDefaultTo8090() {
		assertThat(bind(Map.of()).ray().metricsPort()).isEqualTo(8090);
	}

	@Test
	void shouldRefuseAValueThatIsNoPort() {
		assertThatThrownBy(() -> bind(Map.of("RAYLANE_RAY_METRICS_PORT", "0"))).isInstanceOf(BindException.class)
			.rootCause()
			.hasMessageContaining("RAYLANE_RAY_METRICS_PORT")
			.hasMessageContaining("between 1 and 65535");
		assertThatThrownBy(() -> bind(Map.of("RAYLANE_RAY_METRICS_PORT", "70000"))).isInstanceOf(BindException.class);
	}

	private static RaylaneSettings bind(Map<String, Object> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		MutablePropertySources sources = environment.getPropertySources();
		sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
				new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						variables));
		return Binder.get(environment).bindOrCreate("raylane", RaylaneSettings.class);
	}

}
