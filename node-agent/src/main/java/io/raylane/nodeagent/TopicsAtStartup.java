package io.raylane.nodeagent;

import java.util.List;

import io.raylane.topics.TopicCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the catalog's topics when the context is built, i.e. before the listener containers start (they start
 * with the context's lifecycle, after every singleton exists).
 */
final class TopicsAtStartup {

	private static final Logger log = LoggerFactory.getLogger(TopicsAtStartup.class);

	private final List<String> created;

	TopicsAtStartup(String bootstrapServers, short replicationFactor) throws Exception {
		this.created = TopicCreator.ensureTopics(bootstrapServers, replicationFactor);
		if (!this.created.isEmpty()) {
			log.info("created topics {}", this.created);
		}
	}

	List<String> created() {
		return this.created;
	}

}
