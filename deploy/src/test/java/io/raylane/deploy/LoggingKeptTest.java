package io.raylane.deploy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.logging.LoggingSystem;

import static org.assertj.core.api.Assertions.assertThat;

class LoggingKeptTest {

	@AfterEach
	void clear() {
		System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
	}

	@Test
	void switchesSpringBootsLoggingOffWhileHeldByAnyone() {
		LoggingKept first = LoggingKept.hold();
		LoggingKept second = LoggingKept.hold();
		assertThat(System.getProperty(LoggingSystem.SYSTEM_PROPERTY)).isEqualTo("none");
		first.close();
		// the other stack still starts services
		assertThat(System.getProperty(LoggingSystem.SYSTEM_PROPERTY)).isEqualTo("none");
		first.close();
		assertThat(System.getProperty(LoggingSystem.SYSTEM_PROPERTY)).as("closing twice counts once").isEqualTo("none");
		second.close();
		assertThat(System.getProperty(LoggingSystem.SYSTEM_PROPERTY)).isNull();
	}

	@Test
	void restoresALoggingSystemChosenBeforehand() {
		System.setProperty(LoggingSystem.SYSTEM_PROPERTY, "org.example.FixtureLoggingSystem");
		try (LoggingKept kept = LoggingKept.hold()) {
			assertThat(System.getProperty(LoggingSystem.SYSTEM_PROPERTY)).isEqualTo("none");
		}
		assertThat(System.getProperty(LoggingSystem.SYSTEM_PROPERTY)).isEqualTo("org.example.FixtureLoggingSystem");
	}

}
