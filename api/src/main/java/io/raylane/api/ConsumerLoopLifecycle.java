package io.raylane.api;

import org.springframework.context.SmartLifecycle;

/**
 * The Spring lifecycle of a bean that reads a topic on its own {@link ConsumerLoop}: it
 * stops and reports running through the loop, so the read models and the dead-letter
 * counter do not each repeat it.
 */
public interface ConsumerLoopLifecycle extends SmartLifecycle {

	/** The loop this bean reads on. */
	ConsumerLoop loop();

	@Override
	default void stop() {
		loop().stop();
	}

	@Override
	default boolean isRunning() {
		return loop().running();
	}

}
