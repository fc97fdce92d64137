package io.raylane.support.retry;

import java.time.Duration;
import java.util.Collection;
import java.util.function.BiConsumer;

import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;

/**
 * A bounded exponential backoff, as a service's {@code retry} settings give it: the
 * submitter's retries of one Ray call and the node agent's of an unreachable node
 * implement this with their own defaults, and build their {@link RetryTemplate} here.
 */
public interface BoundedRetry {

	/** Retries after the first attempt. */
	long maxRetries();

	/** First backoff. */
	Duration delay();

	/** Backoff growth. */
	double multiplier();

	/** Longest backoff. */
	Duration maxDelay();

	/**
	 * A template that retries only {@code retryOn} failures with this backoff and hands
	 * each failed attempt (the call's name, its failure) to {@code onRetryFailure}, where
	 * the service logs it in its own words.
	 */
	default RetryTemplate template(Collection<Class<? extends Throwable>> retryOn,
			BiConsumer<String, Throwable> onRetryFailure) {
		RetryTemplate template = new RetryTemplate(RetryPolicy.builder()
			.includes(retryOn)
			.maxRetries(maxRetries())
			.delay(delay())
			.multiplier(multiplier())
			.maxDelay(maxDelay())
			.build());
		template.setRetryListener(new RetryListener() {
			@Override
			public void onRetryFailure(RetryPolicy policy, Retryable<?> retryable, Throwable failure) {
				onRetryFailure.accept(retryable.getName(), failure);
			}
		});
		return template;
	}

}
