package io.raylane.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

import io.raylane.api.errors.ApiException;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Issue 12: every list endpoint answers a page at a time. */
class PagesTest {

	static final Comparator<String> ORDER = Comparator.naturalOrder();

	static List<String> items(int count) {
		List<String> items = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			items.add(String.format("j%03d", i));
		}
		return items;
	}

	@Test
	void shouldWalkTheWholeListPageByPage() {
		List<String> all = items(250);
		List<String> seen = new ArrayList<>();
		String token = null;
		int pages = 0;
		do {
			Pages.Page<String> page = Pages.of(all, Function.identity(), ORDER, 100, token);
			seen.addAll(page.items());
			token = page.nextPageToken();
			pages++;
		}
		while (token != null);

		assertThat(seen).isEqualTo(all);
		assertThat(pages).isEqualTo(3);
	}

	@Test
	void shouldAnswerTheDefaultLimitWithoutOne() {
		Pages.Page<String> page = Pages.of(items(250), Function.identity(), ORDER, null, null);

		assertThat(page.items()).hasSize(Pages.DEFAULT_LIMIT);
		assertThat(page.nextPageToken()).isNotNull();
	}

	@Test
	void shouldStartTheNextPageAfterTheLastItemSeenEvenWhenItemsWereAddedBefore() {
		List<String> all = new ArrayList<>(List.of("b", "d", "f", "h"));
		Pages.Page<String> first = Pages.of(all, Function.identity(), ORDER, 2, null);
		all.add(0, "a");
		all.add(2, "c");

		Pages.Page<String> second = Pages.of(all, Function.identity(), ORDER, 2, first.nextPageToken());

		assertThat(first.items()).containsExactly("b", "d");
		assertThat(second.items()).containsExactly("f", "h");
		assertThat(second.nextPageToken()).isNull();
	}

	@Test
	void shouldFollowADescendingOrder() {
		List<String> newestFirst = List.of("c", "b", "a");

		Pages.Page<String> first = Pages.of(newestFirst, Function.identity(), ORDER.reversed(), 2, null);
		Pages.Page<String> second = Pages.of(newestFirst, Function.identity(), ORDER.reversed(), 2,
				first.nextPageToken());

		assertThat(first.items()).containsExactly("c", "b");
		assertThat(second.items()).containsExactly("a");
	}

	@Test
	void shouldRefuseALimitOutOfRangeAndATokenItDidNotIssueNamingTheParameter() {
		ApiException limit = catchThrowableOfType(ApiException.class,
				() -> Pages.of(items(3), Function.identity(), ORDER, 1001, null));
		ApiException token = catchThrowableOfType(ApiException.class,
				() -> Pages.of(items(3), Function.identity(), ORDER, 2, "not*base64!"));

		assertThat(limit.status()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(limit.field()).isEqualTo("limit");
		assertThat(token.field()).isEqualTo("page_token");
	}

}
