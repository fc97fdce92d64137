package io.raylane.cli.commands;

import java.util.Map;

import io.raylane.cli.http.ApiClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every page of a list ({@code jobs}, {@code queue}, {@code nodes}): the API answers a
 * page at a time with {@code next_page_token} (docs/api.md, "Pages"); the whole list is
 * the pages' items joined, answered in the API's shape with a null token.
 */
final class Paging {

	private Paging() {
	}

	static ObjectNode all(ApiClient api, String path, Map<String, Object> parameters, String field) {
		ObjectNode whole = null;
		ArrayNode items = ApiCommand.JSON.createArrayNode();
		String token = null;
		do {
			parameters.put("page_token", token);
			JsonNode page = ApiCommand.parse(api.get(ApiClient.query(path, parameters)));
			if (whole == null) {
				whole = (ObjectNode) page.deepCopy();
			}
			page.path(field).forEach(items::add);
			JsonNode next = page.get("next_page_token");
			token = (next != null && !next.isNull()) ? next.asString() : null;
		}
		while (token != null);
		whole.set(field, items);
		whole.putNull("next_page_token");
		return whole;
	}

}
