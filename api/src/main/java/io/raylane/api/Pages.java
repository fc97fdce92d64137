package io.raylane.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

import io.raylane.api.errors.ApiException;

/**
 * Pagination of every list endpoint (issue 12): {@code limit} (default
 * {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT}) items per answer and an opaque
 * {@code page_token} for the next. The token is the sort key of the last item returned,
 * so a page starts after it even when items were added or removed meanwhile (keyset
 * pagination: nothing is skipped or shown twice because of an insertion before it). Pure.
 */
public final class Pages {

	public static final int DEFAULT_LIMIT = 100;

	public static final int MAX_LIMIT = 1000;

	private Pages() {
	}

	/**
	 * One page of a list.
	 *
	 * @param items at most {@code limit} items
	 * @param nextPageToken the {@code page_token} of the next page, or null on the last
	 */
	public record Page<T>(List<T> items, String nextPageToken) {
	}

	/**
	 * The page of {@code sorted} after {@code pageToken}.
	 * @param sorted every item, sorted so that their keys follow {@code keyOrder}
	 * @param key each item's sort key, unique
	 * @param keyOrder the order of the keys in {@code sorted}
	 * @param limit the {@code limit} parameter, or null for the default
	 * @param pageToken the {@code page_token} parameter, or null for the first page
	 * @throws ApiException 400 naming {@code limit} or {@code page_token} when either is
	 * invalid
	 */
	public static <T> Page<T> of(List<T> sorted, Function<T, String> key, Comparator<String> keyOrder, Integer limit,
			String pageToken) {
		int size = limit(limit);
		String after = (pageToken != null && !pageToken.isBlank()) ? decode(pageToken) : null;
		List<T> items = new ArrayList<>(Math.min(size, sorted.size()));
		boolean more = false;
		for (T item : sorted) {
			if (after != null && keyOrder.compare(key.apply(item), after) <= 0) {
				continue;
			}
			if (items.size() == size) {
				more = true;
				break;
			}
			items.add(item);
		}
		String next = more ? encode(key.apply(items.get(items.size() - 1))) : null;
		return new Page<>(List.copyOf(items), next);
	}

	static int limit(Integer limit) {
		if (limit == null) {
			return DEFAULT_LIMIT;
		}
		if (limit < 1 || limit > MAX_LIMIT) {
			throw ApiException.badRequest("invalid_parameter", "limit", "must be between 1 and " + MAX_LIMIT);
		}
		return limit;
	}

	static String encode(String key) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
	}

	static String decode(String token) {
		try {
			return new String(Base64.getUrlDecoder().decode(token.strip()), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.badRequest("invalid_parameter", "page_token",
					"is not a page_token this API returned; omit it for the first page");
		}
	}

}
