package io.raylane.deploy.logging;

import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * What the all-in-one prints on its console (issue 15, a quiet start): the lines written
 * for a person (what started, the URLs, the development users), Raylane's own warnings,
 * and every error from anywhere. The rest (Kafka's configuration dumps, Spring's
 * start-up) goes to the log file only.
 */
public class ConsoleFilter extends Filter<ILoggingEvent> {

	/** The all-in-one's lines for the person at the terminal: what started, where. */
	public static final String CONSOLE_LOGGER = "raylane.console";

	/** Loggers that write for the person at the console. */
	static final Set<String> FOR_PEOPLE = Set.of(CONSOLE_LOGGER, "io.raylane.api.security.DevUsers");

	@Override
	public FilterReply decide(ILoggingEvent event) {
		return shown(event.getLoggerName(), event.getLevel()) ? FilterReply.NEUTRAL : FilterReply.DENY;
	}

	static boolean shown(String logger, Level level) {
		if (level.isGreaterOrEqual(Level.ERROR)) {
			return true;
		}
		if (FOR_PEOPLE.contains(logger)) {
			return level.isGreaterOrEqual(Level.INFO);
		}
		return logger.startsWith("io.raylane.") && level.isGreaterOrEqual(Level.WARN);
	}

}
