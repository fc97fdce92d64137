package io.raylane.scheduler.topology;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh {@link SchedulerDriver} per test, its state and shared root in temporary
 * directories.
 */
abstract class TopologyTestSupport {

	@TempDir
	Path stateDir;

	@TempDir
	Path sharedRoot;

	SchedulerDriver scheduler;

	@BeforeEach
	void startDriver() {
		this.scheduler = new SchedulerDriver(this.stateDir, this.sharedRoot);
	}

	@AfterEach
	void closeDriver() {
		this.scheduler.close();
	}

}
