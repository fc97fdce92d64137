package io.raylane.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driving the web console (issue 15): Debian's {@code chromium} and
 * {@code chromium-driver}, installed by {@code .ci/run}. The driver's path is given, so
 * Selenium Manager never looks for or downloads a driver or browser. Missing, a test
 * skips with the reason, unless {@code CI=true} and {@code RAYLANE_REQUIRE_BROWSER=true}
 * (set by {@code .ci/run} once the install succeeded): then it fails, so CI cannot pass
 * without the browser test.
 */
final class ConsoleBrowser implements AutoCloseable {

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	/** Where the screenshots of each page are kept as test output. */
	static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

	/**
	 * Generous: a page refreshes every 3 s, and CI shares two cores with another stack.
	 */
	static final Duration WAIT = Duration.ofSeconds(90);

	private final ChromeDriver driver;

	private final String baseUrl;

	private ConsoleBrowser(ChromeDriver driver, String baseUrl) {
		this.driver = driver;
		this.baseUrl = baseUrl;
	}

	/** Starts headless Chromium, or skips (fails on CI) when it is not installed. */
	static ConsoleBrowser start(String baseUrl) {
		requireInstalled();
		// belt and braces: even if something asked Selenium Manager, it must not go
		// online
		System.setProperty("SE_OFFLINE", "true");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		// root in a container: no sandbox; /dev/shm is small there
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
				"--no-first-run", "--disable-extensions", "--disable-background-networking", "--disable-sync",
				"--disable-component-update", "--user-data-dir=" + tempProfile());
		return new ConsoleBrowser(new ChromeDriver(service, options), baseUrl);
	}

	private static void requireInstalled() {
		if (Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM)) {
			return;
		}
		String why = "no " + CHROMIUM + " or " + CHROMEDRIVER
				+ "; install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)";
		if ("true".equalsIgnoreCase(System.getenv("CI"))
				&& "true".equalsIgnoreCase(System.getenv("RAYLANE_REQUIRE_BROWSER"))) {
			Assertions.fail(why + " (CI=true, RAYLANE_REQUIRE_BROWSER=true)");
		}
		Assumptions.abort(why);
	}

	private static String tempProfile() {
		try {
			return Files.createTempDirectory("console-chromium").toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Opens the console at {@code hash} ({@code ""} for the sign-in page). */
	void open(String hash) {
		this.driver.get(this.baseUrl + "/" + hash);
	}

	/** Goes to another page of the console without reloading it (the token stays). */
	void go(String hash) {
		this.driver.executeScript("location.hash = arguments[0]", hash);
	}

	void signIn(String token) {
		waitUntil("the sign-in page", () -> find("token").isDisplayed());
		WebElement field = find("token");
		field.clear();
		field.sendKeys(token);
		this.driver.findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
		waitUntil("signed in", () -> find("sign-out").isDisplayed());
	}

	WebElement find(String id) {
		return this.driver.findElement(By.id(id));
	}

	/** The text of the page the user sees. */
	String text() {
		return this.driver.findElement(By.tagName("body")).getText();
	}

	/** The text of the element {@code id}, empty while there is none. */
	String text(String id) {
		return this.driver.findElements(By.id(id)).stream().findFirst().map(WebElement::getText).orElse("");
	}

	String pageSource() {
		return this.driver.getPageSource();
	}

	Object script(String script) {
		return this.driver.executeScript(script);
	}

	/** Waits until the page's text contains every one of {@code parts}. */
	void waitForText(String... parts) {
		waitUntil("the page to show " + String.join(", ", parts), () -> {
			String text = text();
			for (String part : parts) {
				if (!text.contains(part)) {
					return false;
				}
			}
			return true;
		});
	}

	void waitUntil(String what, java.util.function.BooleanSupplier condition) {
		new WebDriverWait(this.driver, WAIT).withMessage(() -> "waiting for " + what + "; the page shows:\n" + text())
			.ignoring(org.openqa.selenium.NoSuchElementException.class)
			.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
			.until((d) -> condition.getAsBoolean());
	}

	/** Keeps a PNG of the page as test output. */
	Path screenshot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			File png = this.driver.getScreenshotAs(OutputType.FILE);
			Path target = SCREENSHOTS.resolve(name + ".png");
			Files.copy(png.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.driver.quit();
	}

}
