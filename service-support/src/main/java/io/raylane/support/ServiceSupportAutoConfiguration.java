package io.raylane.support;

import java.time.Clock;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * What every service's context gets without asking: the common {@link RaylaneSettings}
 * and the {@link Clock} that "now" comes from (a test's own clock bean wins). Beans only
 * some services want, e.g. {@link io.raylane.support.kafka.TopicsAtStartupConfiguration},
 * are imported by those services.
 */
@AutoConfiguration
@EnableConfigurationProperties(RaylaneSettings.class)
public class ServiceSupportAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

}
