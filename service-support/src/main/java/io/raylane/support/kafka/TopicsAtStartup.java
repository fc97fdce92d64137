package io.raylane.support.kafka;

import java.util.List;

import io.raylane.topics.TopicCreator;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's bean that creates the catalog's topics when its context is built, i.e.
 * before its listener containers or pollers start (they start with the context's
 * lifecycle, after every singleton exists). Beans that must not run before the topics
 * exist take it as a constructor argument.
 *
 * @param created the topics this start created (empty when they all existed)
 */
public record TopicsAtStartup(List<String> created) {

	private static final Logger log = LoggerFactory.getLogger(TopicsAtStartup.class);

	public TopicsAtStartup {
		created = List.copyOf(created);
	}

	/**
	 * Creates the missing topics with a short-lived admin client on
	 * {@code bootstrapServers}.
	 */
	public static TopicsAtStartup ensure(String bootstrapServers, short replicationFactor) throws Exception {
		return logged(TopicCreator.ensureTopics(bootstrapServers, replicationFactor));
	}

	/** Creates the missing topics with the service's own admin client. */
	public static TopicsAtStartup ensure(Admin admin, short replicationFactor) throws Exception {
		return logged(TopicCreator.ensureTopics(admin, replicationFactor));
	}

	private static TopicsAtStartup logged(List<String> created) {
		if (!created.isEmpty()) {
			log.info("created topics {}", created);
		}
		return new TopicsAtStartup(created);
	}

}
