package io.raylane.deploy;

import org.springframework.boot.logging.LoggingSystem;

/**
 * While held, Spring Boot applications started in this JVM leave logging as it is instead
 * of initialising it again: the system property {@value LoggingSystem#SYSTEM_PROPERTY}
 * set to {@value LoggingSystem#NONE}, which {@link LoggingSystem#get(ClassLoader)} reads
 * at each application's start (Spring Boot 4.0's LoggingSystem; "none" gives its no-op
 * logging system, documented in Spring Boot's logging reference). Each start of Spring
 * Boot's logging resets the one Logback context of the JVM (and denies every logger until
 * it is configured again), which is not safe while other services start at the same time;
 * {@link LocalStack} holds this while it starts services in parallel, after the first
 * service configured logging for all. Counted, because tests start two stacks in one JVM
 * at the same time.
 */
final class LoggingKept implements AutoCloseable {

	private static int holders;

	/** The property's value before the first holder, restored after the last. */
	private static String before;

	private boolean released;

	private LoggingKept() {
	}

	static synchronized LoggingKept hold() {
		if (holders++ == 0) {
			before = System.getProperty(LoggingSystem.SYSTEM_PROPERTY);
			System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
		}
		return new LoggingKept();
	}

	@Override
	public void close() {
		synchronized (LoggingKept.class) {
			if (this.released) {
				return;
			}
			this.released = true;
			if (--holders == 0) {
				if (before == null) {
					System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
				}
				else {
					System.setProperty(LoggingSystem.SYSTEM_PROPERTY, before);
				}
			}
		}
	}

}
