package io.raylane.deploy;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console (issue 15) in headless Chromium against the all-in-one stack (embedded
 * broker, every service, the local Ray-compatible head with two 4-GPU workers): a user
 * signs in with a token, a job submitted through the API is seen to succeed in the page
 * with its log, a failed job's diagnosis and a queued job's reason are shown, an admin
 * sees the nodes, the usage chart is drawn, and signing out forgets the token. Each page
 * is kept as a PNG under {@code target/console-screenshots/}; the asserts read the page's
 * text, not pixels.
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebConsoleBrowserTest {

	static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);

	@TempDir
	static Path root;

	@AutoClose
	static LocalStack stack;

	static ConsoleBrowser browser;

	static Map<String, String> tokens;

	static RaylaneClient alice;

	@BeforeAll
	static void startStackAndBrowser() throws Exception {
		// short accounting intervals, so that GPU time reaches /v1/usage within the test
		stack = LocalStack.start(LocalStackSettings.forTest(root),
				Map.of("raylane.observer.accounting-interval", "2s"));
		tokens = RaylaneClient.devTokens(stack.settings().dataDir());
		alice = new RaylaneClient(stack.apiUrl(), tokens.get("alice"));
		alice.awaitHealthy();
		browser = ConsoleBrowser.start(stack.apiUrl());
	}

	@AfterAll
	static void closeBrowser() {
		if (browser != null) {
			browser.close();
		}
	}

	@Test
	@Order(1)
	void shouldSignInAndWatchAJobSucceedWithItsLog() {
		// the sign-in page as any HTTP client sees it: public HTML under a strict policy
		HttpResponse<String> signIn = alice.as(null).get("/");
		assertThat(signIn.statusCode()).isEqualTo(200);
		assertThat(signIn.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(signIn.headers().firstValue("Content-Security-Policy"))
			.hasValueSatisfying((csp) -> assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe"));
		assertThat(alice.as(null).get("/v1/jobs").statusCode()).isEqualTo(401);

		browser.open("");
		browser.waitForText("Sign in", "API token");
		browser.screenshot("01-sign-in");
		browser.signIn(tokens.get("alice"));
		browser.waitForText("Your jobs", "alice");

		String id = alice.submitCommand("console-hello", "sleep 2; echo hello from the console", 1, 0);

		browser.waitUntil(id + " SUCCEEDED in the job list", () -> rowOf(id).contains("SUCCEEDED"));
		assertThat(rowOf(id)).contains("console-hello", "alice", "default");
		browser.screenshot("02-jobs");
		browser.find("page").findElement(By.linkText(id)).click();
		browser.waitUntil("the job's log", () -> browser.text("logs").contains("hello from the console"));
		assertThat(browser.text()).contains("Job " + id, "SUCCEEDED", "Exit code", "Config (JobSpec)");
		assertThat(browser.text("spec")).contains("sleep 2; echo hello from the console");
		browser.screenshot("03-job");
		assertThat(browser.pageSource()).as("the token is shown nowhere").doesNotContain(tokens.get("alice"));
	}

	@Test
	@Order(2)
	void shouldShowTheFailureDiagnosisWithItsEvidence() {
		String id = alice.submitCommand("console-oom",
				"echo 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB'; exit 3", 1, 0);
		JsonNode failed = alice.awaitStatus(id, JOB_TIMEOUT, "FAILED");

		browser.go("#/job/" + id);
		browser.waitUntil("the failure diagnosis", () -> browser.text("failure").contains("CUDA out of memory"));
		assertThat(browser.text()).contains("Job " + id, "FAILED", "Failure diagnosis");
		assertThat(failed.path("failure").path("category").asString()).isNotBlank();
		assertThat(browser.text("failure")).contains(failed.path("failure").path("category").asString());
		browser.screenshot("04-failed-job");
	}

	@Test
	@Order(3)
	void shouldShowWhyAQueuedJobWaits() {
		// 1. two nodes × four GPUs take the whole pool, so one more GPU must wait
		String blocker = alice.submitCommand("console-blocker", "sleep 600", 2, 4);
		alice.awaitStatus(blocker, JOB_TIMEOUT, "RUNNING");
		String waiter = alice.submitCommand("console-waiter", "echo finally", 1, 1);
		JsonNode queued = alice.awaitStatus(waiter, JOB_TIMEOUT, "QUEUED");
		String code = queued.path("reasons").path(0).path("code").asString(queued.path("reason").asString());
		assertThat(code).isNotBlank();

		// 2. the queue page shows it with its reason
		browser.go("#/queue?pool=default");
		browser.waitUntil("the waiting job in the queue",
				() -> browser.text("page").contains(waiter) && browser.text("page").contains(code));
		assertThat(browser.text("page")).contains("Queue of pool default", "console-waiter");
		browser.screenshot("05-queue");

		// 3. and so does the job's own page
		browser.go("#/job/" + waiter);
		browser.waitUntil("the queued job's reasons", () -> browser.text("reasons").contains(code));
		assertThat(browser.text()).contains("QUEUED", "Why it waits");
		browser.screenshot("06-queued-job");

		// 4. the running job's page offers to stop it, and stopping it lets the other run
		browser.go("#/job/" + blocker);
		String stopButton = "document.querySelector('#stop-job[data-job=\"" + blocker + "\"]')";
		browser.waitUntil("the running job's stop button",
				() -> browser.script("return " + stopButton + " !== null").equals(Boolean.TRUE));
		assertThat(browser.text()).contains("Job " + blocker, "RUNNING", "Log (live");
		browser.screenshot("07-running-job");
		// the page is drawn again every few seconds: click the button there is now
		browser.script(stopButton + ".click()");
		alice.awaitStatus(blocker, JOB_TIMEOUT, "STOPPED");
		alice.awaitStatus(waiter, JOB_TIMEOUT, "SUCCEEDED");
	}

	@Test
	@Order(4)
	void shouldDrawTheGpuHoursOfTheUser() {
		// the blocker held eight GPUs for a while: its accounting reaches /v1/usage
		browser.go("#/usage?range=24h");
		browser.waitUntil("the usage chart", () -> {
			if (browser.text().contains("No GPU usage")) {
				// the last intervals may still be on their way: ask again
				browser.go("#/usage?range=7d");
				browser.go("#/usage?range=24h");
				return false;
			}
			return !browser.script("return document.querySelectorAll('#chart-user rect').length").equals(0L);
		});
		assertThat(browser.text()).contains("GPU-hours per user", "GPU-hours per pool", "alice", "default");
		browser.screenshot("08-usage");
	}

	@Test
	@Order(5)
	void shouldShowAnAdminTheNodesAndSignOut() {
		browser.find("sign-out").click();
		browser.waitForText("Sign in", "Signed out.");
		assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);

		browser.signIn(tokens.get("admin"));
		browser.go("#/jobs");
		browser.waitForText("Jobs (everyone)", "admin (admin)");
		browser.go("#/nodes");
		browser.waitForText("Nodes", "127.0.0.2", "127.0.0.3", "ONLINE", "Drain", "Decommission");
		browser.screenshot("09-nodes");
		browser.go("#/jobs");
		browser.waitForText("console-hello", "console-waiter");
		browser.screenshot("10-admin-jobs");
		assertThat(browser.pageSource()).doesNotContain(tokens.get("admin"));
	}

	/** The text of the job list's row of {@code id}, empty while it is not listed. */
	private static String rowOf(String id) {
		return browser.find("page")
			.findElements(By.xpath(".//tr[td/a[text()='" + id + "']]"))
			.stream()
			.findFirst()
			.map((row) -> row.getText())
			.orElse("");
	}

}
