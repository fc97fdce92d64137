package io.raylane.deploy.faults;

import java.nio.file.Files;
import java.nio.file.Path;

import io.raylane.deploy.fleet.OpenSshWorker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 12 item 11, the fault campaign in its short form (CI): 100 jobs while every
 * service kind is SIGKILLed at least once, the Ray head is unreachable for 20 s and the
 * SSH host flaps twice; 1,000 malformed JobSpecs and 1,000 malformed records. The full
 * form is the same test with {@code -Draylane.faults.form=full} (docs/reliability.md).
 */
@Tag("slow")
@Isolated
class FaultCampaignTest {

	@TempDir
	Path root;

	@Test
	void shouldLoseNoJobRunNoneTwiceAccountExactlyAndAnswerMalformedInputWith4xxOrDeadLetter() throws Exception {
		assumeTrue(OpenSshWorker.unavailable() == null,
				() -> "the campaign's SSH host: " + OpenSshWorker.unavailable());
		FaultCampaign.Settings settings = FaultCampaign.Settings.fromSystemProperties();

		CampaignFigures figures = FaultCampaign.run(this.root, settings);

		String table = figures.table();
		System.out.println(table);
		// the cases behind a failed figure, before any assertion stops the test
		figures.serverErrors.forEach((e) -> System.out.println("fuzz answer not 4xx: " + e));
		figures.missingDeadLetters.forEach((m) -> System.out.println("no dead letter: " + m));
		Path kept = Path.of("target", "fault-campaign-" + settings.jobs() + ".md");
		Files.createDirectories(kept.getParent());
		Files.writeString(kept, table);
		assertThat(figures.lost).as("jobs lost").isEmpty();
		assertThat(figures.duplicated).as("jobs run twice").isEmpty();
		assertThat(figures.neverStarted).as("jobs SUCCEEDED without a driver").isEmpty();
		assertThat(figures.statuses).as("every job succeeds").containsOnlyKeys("SUCCEEDED");
		assertThat(figures.accountingMismatches).as("GPU-seconds per job").isEmpty();
		assertThat(figures.duplicateAccountingIds).as("accounting records written twice").isZero();
		assertThat(figures.kills).as("every service kind killed").containsOnlyKeys(CampaignStack.SERVICES);
		assertThat(figures.outages).isEqualTo(1);
		assertThat(figures.sshFlaps).isEqualTo(2);
		assertThat(figures.sshNodeState).as("the flapping SSH host ends up a node").startsWith("ONLINE");
		assertThat(figures.serverErrors).as("fuzz answers other than 4xx").isEmpty();
		assertThat(figures.fuzzRequests).isEqualTo(settings.fuzz());
		assertThat(figures.missingDeadLetters).as("malformed records without a dead letter").isEmpty();
		assertThat(figures.deadLetters).isEqualTo(settings.fuzz());
		assertThat(figures.unhealthyAfter).as("services not healthy after the campaign").isEmpty();
	}

}
