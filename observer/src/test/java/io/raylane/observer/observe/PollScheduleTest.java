package io.raylane.observer.observe;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PollScheduleTest {

	@Test
	void shouldKeepPollingAfterAPollThrows() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		CountDownLatch thirdPoll = new CountDownLatch(3);
		PollSchedule schedule = new PollSchedule(() -> {
			thirdPoll.countDown();
			if (calls.incrementAndGet() == 1) {
				throw new IllegalStateException("Ray is down");
			}
		}, Duration.ofMillis(10));

		schedule.start();
		try {
			assertThat(thirdPoll.await(30, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			schedule.stop();
		}
		assertThat(schedule.isRunning()).isFalse();
	}

	@Test
	void shouldRefuseANonPositiveInterval() {
		assertThatThrownBy(() -> new PollSchedule(() -> {
		}, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
	}

}
