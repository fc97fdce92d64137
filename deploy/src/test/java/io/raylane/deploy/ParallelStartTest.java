package io.raylane.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParallelStartTest {

	@Test
	void runsTheStartsAtTheSameTimeAndHandsThemOnInOrder() throws Exception {
		// each start waits for all three to have begun: they finish only if they run
		// together
		CountDownLatch begun = new CountDownLatch(3);
		Map<String, Callable<String>> starts = new LinkedHashMap<>();
		for (String name : List.of("submitter", "observer", "node-agent")) {
			starts.put(name, () -> {
				begun.countDown();
				if (!begun.await(5, TimeUnit.MINUTES)) {
					throw new IllegalStateException("the others never began");
				}
				return name + " on " + Thread.currentThread().getName();
			});
		}
		List<String> started = new ArrayList<>();
		ParallelStart.all(starts, (name, result) -> started.add(result));
		assertThat(started).containsExactly("submitter on start-submitter", "observer on start-observer",
				"node-agent on start-node-agent");
	}

	@Test
	void handsOnWhatStartedAndThrowsTheFirstFailureWithTheOthersSuppressed() {
		Map<String, Callable<String>> starts = new LinkedHashMap<>();
		starts.put("submitter", () -> "submitter");
		starts.put("observer", () -> {
			throw new IllegalStateException("observer: port in use");
		});
		starts.put("node-agent", () -> {
			throw new IllegalArgumentException("node-agent: no key");
		});
		starts.put("scheduler", () -> "scheduler");
		List<String> started = new ArrayList<>();
		assertThatThrownBy(() -> ParallelStart.all(starts, (name, result) -> started.add(name)))
			.isInstanceOf(IllegalStateException.class)
			.hasMessage("observer: port in use")
			.satisfies((ex) -> assertThat(ex.getSuppressed()).singleElement()
				.isInstanceOf(IllegalArgumentException.class));
		assertThat(started).containsExactly("submitter", "scheduler");
	}

	@Test
	void throwsAnErrorAsItself() {
		Map<String, Callable<String>> starts = new LinkedHashMap<>();
		starts.put("api", () -> {
			throw new NoClassDefFoundError("fixture: a class missing");
		});
		assertThatThrownBy(() -> ParallelStart.all(starts, (name, result) -> {
		})).isInstanceOf(NoClassDefFoundError.class).hasMessage("fixture: a class missing");
	}

}
