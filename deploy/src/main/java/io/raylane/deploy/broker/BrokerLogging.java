package io.raylane.deploy.broker;

import java.lang.reflect.Method;
import java.util.Map;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded broker's own logging at WARN (its INFO output is hundreds of lines
 * per start). Client-side Kafka loggers (producers, consumers, Streams) are left alone.
 * Works on Logback (what Spring Boot uses) through reflection, so this module does not
 * need Logback on its compile classpath; other backends are left untouched.
 */
final class BrokerLogging {

	static final Map<String, String> QUIET_LOGGERS = Map.ofEntries(Map.entry("kafka", "WARN"),
			Map.entry("state.change.logger", "WARN"), Map.entry("org.apache.kafka.server", "WARN"),
			Map.entry("org.apache.kafka.controller", "WARN"), Map.entry("org.apache.kafka.raft", "WARN"),
			Map.entry("org.apache.kafka.metadata", "WARN"), Map.entry("org.apache.kafka.image", "WARN"),
			Map.entry("org.apache.kafka.storage", "WARN"), Map.entry("org.apache.kafka.coordinator", "WARN"),
			Map.entry("org.apache.kafka.queue", "WARN"), Map.entry("org.apache.kafka.snapshot", "WARN"),
			Map.entry("org.apache.kafka.network", "WARN"), Map.entry("org.apache.kafka.security", "WARN"));

	private static final Logger log = LoggerFactory.getLogger(BrokerLogging.class);

	private BrokerLogging() {
	}

	static void quiet() {
		ILoggerFactory factory = LoggerFactory.getILoggerFactory();
		if (!"ch.qos.logback.classic.LoggerContext".equals(factory.getClass().getName())) {
			return;
		}
		try {
			Class<?> levelClass = Class.forName("ch.qos.logback.classic.Level", true,
					factory.getClass().getClassLoader());
			Method toLevel = levelClass.getMethod("toLevel", String.class);
			for (Map.Entry<String, String> entry : QUIET_LOGGERS.entrySet()) {
				Object logger = factory.getLogger(entry.getKey());
				Method getLevel = logger.getClass().getMethod("getLevel");
				// a level configured explicitly (e.g. DEBUG while troubleshooting) wins
				// over this default
				if (getLevel.invoke(logger) == null) {
					logger.getClass()
						.getMethod("setLevel", levelClass)
						.invoke(logger, toLevel.invoke(null, entry.getValue()));
				}
			}
		}
		catch (ReflectiveOperationException | LinkageError ex) {
			log.debug("could not quiet the broker's loggers: {}", ex.toString());
		}
	}

}
