package io.raylane.deploy.logging;

import java.nio.file.Path;
import java.util.Map;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

/**
 * Sends the all-in-one's logs to {@code <data dir>/logs/raylane.log} and keeps its
 * console to a screenful ({@code raylane-all-in-one-logback.xml}), before anything else
 * logs. Each service's Spring Boot reads the same configuration through
 * {@code logging.config}. A user's own {@code LOGGING_CONFIG} or
 * {@code LOGGING_FILE_NAME} wins.
 */
public final class QuietStart {

	static final String CONFIG = "classpath:raylane-all-in-one-logback.xml";

	private QuietStart() {
	}

	/**
	 * @return the log file the logs go to
	 */
	public static Path begin(Path dataDir, Map<String, String> env) {
		String file = firstSet(System.getProperty("logging.file.name"), env.get("LOGGING_FILE_NAME"),
				dataDir.resolve("logs").resolve("raylane.log").toAbsolutePath().toString());
		System.setProperty("logging.file.name", file);
		// what Spring Boot exports from logging.file.name, for the file appender before
		// Spring runs
		System.setProperty("LOG_FILE", file);
		if (System.getProperty("logging.config") == null && env.get("LOGGING_CONFIG") == null) {
			System.setProperty("logging.config", CONFIG);
			configureNow();
		}
		return Path.of(file);
	}

	private static void configureNow() {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		JoranConfigurator configurator = new JoranConfigurator();
		configurator.setContext(context);
		context.reset();
		try {
			configurator.doConfigure(QuietStart.class.getResource("/raylane-all-in-one-logback.xml"));
		}
		catch (JoranException ex) {
			throw new IllegalStateException("the all-in-one's logging configuration is broken", ex);
		}
	}

	private static String firstSet(String... values) {
		for (String value : values) {
			if (value != null && !value.isBlank()) {
				return value;
			}
		}
		throw new IllegalArgumentException("no value");
	}

}
