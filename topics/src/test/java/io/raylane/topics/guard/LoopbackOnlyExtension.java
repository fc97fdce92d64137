package io.raylane.topics.guard;

import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Puts {@link LoopbackOnly} in place for every test of every module: registered through
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} with
 * {@code junit.jupiter.extensions.autodetection.enabled=true} in
 * {@code junit-platform.properties}, both in the topics test-jar every module's tests
 * depend on. JUnit creates it before it touches a test class, so the guard is there
 * before any static initializer or extension of a test runs. After each test (and each
 * class, for {@code @BeforeAll}/{@code @AfterAll} work) it fails the test when a
 * connection was refused meanwhile, also when the code under test caught the
 * {@link SecurityException}.
 */
public final class LoopbackOnlyExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

	public LoopbackOnlyExtension() {
		LoopbackOnly.install();
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		LoopbackOnly.install();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		failIfRefused(context);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		failIfRefused(context);
	}

	private static void failIfRefused(ExtensionContext context) {
		List<String> refused = LoopbackOnly.takeRefusals();
		if (!refused.isEmpty()) {
			throw new AssertionError(context.getDisplayName() + ": " + refused.size()
					+ " connection(s) outside this machine refused: " + String.join("; ", refused));
		}
	}

}
