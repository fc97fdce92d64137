package io.raylane.observer;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the observer ({@code raylane.observer.*}). The common {@code raylane.ray.address} and
 * {@code raylane.kafka.replication-factor} are read beside it.
 *
 * @param pollInterval pause between two polls of Ray
 * @param connectTimeout TCP connect timeout to Ray's dashboard
 * @param readTimeout wait for Ray's answer
 * @param publishTimeout wait for the broker to acknowledge one observation
 * @param progressInterval how often the driver log of a running verl job is read for its progress
 */
@ConfigurationProperties("raylane.observer")
public record ObserverProperties(@DefaultValue("2s") Duration pollInterval, @DefaultValue("2s") Duration connectTimeout,
		@DefaultValue("10s") Duration readTimeout, @DefaultValue("10s") Duration publishTimeout,
		@DefaultValue("15s") Duration progressInterval) {
}
