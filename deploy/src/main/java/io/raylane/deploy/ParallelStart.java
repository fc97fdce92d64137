package io.raylane.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.BiConsumer;

/**
 * Runs start-ups at the same time, one thread each, and waits for all of them. Each one
 * that started is handed on (to be closed later) even when another failed; then the first
 * failure in the given order is thrown, the others added to it as suppressed. A start
 * cannot be cancelled half-way, so a failure waits for the others to finish.
 */
final class ParallelStart {

	private ParallelStart() {
	}

	/**
	 * @param starts by name, in the order failures are reported and results handed on
	 * @param started gets each name and result that started, in that order
	 * @throws Exception the first start's failure, as it was thrown
	 */
	static <T> void all(Map<String, Callable<T>> starts, BiConsumer<String, T> started) throws Exception {
		Map<String, Future<T>> running = new LinkedHashMap<>();
		List<Thread> threads = new ArrayList<>();
		starts.forEach((name, start) -> {
			FutureTask<T> task = new FutureTask<>(start);
			// a new thread inherits this one's context class loader (the fat jar's)
			Thread thread = new Thread(task, "start-" + name);
			thread.setDaemon(true);
			running.put(name, task);
			threads.add(thread);
		});
		threads.forEach(Thread::start);
		Throwable failure = null;
		for (Map.Entry<String, Future<T>> entry : running.entrySet()) {
			try {
				started.accept(entry.getKey(), awaitUninterruptibly(entry.getValue()));
			}
			catch (ExecutionException ex) {
				if (failure == null) {
					failure = ex.getCause();
				}
				else {
					failure.addSuppressed(ex.getCause());
				}
			}
		}
		if (failure instanceof Error error) {
			throw error;
		}
		if (failure instanceof Exception exception) {
			throw exception;
		}
	}

	/**
	 * Waits even when interrupted (a start cannot be abandoned: what it started must be
	 * handed on to be closed), and keeps the interrupt for the caller.
	 */
	private static <T> T awaitUninterruptibly(Future<T> future) throws ExecutionException {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return future.get();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
