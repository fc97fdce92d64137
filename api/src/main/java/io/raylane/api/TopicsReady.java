package io.raylane.api;

import java.util.List;

/**
 * Marker bean: the catalog's topics exist. Beans that consume or produce at start-up depend on it, so
 * topic creation happens before any consumer starts.
 *
 * @param created the topics this start-up created
 */
public record TopicsReady(List<String> created) {
}
