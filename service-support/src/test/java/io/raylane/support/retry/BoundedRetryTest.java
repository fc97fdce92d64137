package io.raylane.support.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BoundedRetryTest {

	record Retry(long maxRetries, Duration delay, double multiplier, Duration maxDelay) implements BoundedRetry {
	}

	static class Unreachable extends RuntimeException {

		Unreachable(String message) {
			super(message);
		}

	}

	private final List<String> reported = new ArrayList<>();

	private final RetryTemplate template = new Retry(2, Duration.ofMillis(1), 2.0, Duration.ofMillis(4))
		.template(List.of(Unreachable.class), (call, failure) -> this.reported.add(call + ": " + failure.getMessage()));

	@Test
	void shouldRetryAnIncludedFailureUpToTheBoundAndReportEachFailedAttempt() {
		AtomicInteger attempts = new AtomicInteger();

		assertThatExceptionOfType(RetryException.class).isThrownBy(() -> this.template.execute(named("ssh n1", () -> {
			throw new Unreachable("unreachable #" + attempts.incrementAndGet());
		})));

		assertThat(attempts).hasValue(3);
		assertThat(this.reported).containsExactly("ssh n1: unreachable #2", "ssh n1: unreachable #3");
	}

	@Test
	void shouldNotRetryAFailureItDoesNotInclude() {
		AtomicInteger attempts = new AtomicInteger();

		assertThatExceptionOfType(RetryException.class).isThrownBy(() -> this.template.execute(named("ssh n1", () -> {
			attempts.incrementAndGet();
			throw new IllegalArgumentException("bad spec");
		})));

		assertThat(attempts).hasValue(1);
		assertThat(this.reported).isEmpty();
	}

	private static org.springframework.core.retry.Retryable<Object> named(String name,
			org.springframework.core.retry.Retryable<Object> body) {
		return new org.springframework.core.retry.Retryable<>() {
			@Override
			public Object execute() throws Throwable {
				return body.execute();
			}

			@Override
			public String getName() {
				return name;
			}
		};
	}

}
