package io.raylane.topics;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's bean that creates the catalog's topics when its context is built, i.e. before its listener
 * containers or pollers start (they start with the context's lifecycle, after every singleton exists). Beans
 * that must not run before the topics exist take it as a constructor argument.
 */
public final class TopicsAtStartup {

	private static final Logger log = LoggerFactory.getLogger(TopicsAtStartup.class);

	private final List<String> created;

	public TopicsAtStartup(String bootstrapServers, short replicationFactor) throws Exception {
		this.created = TopicCreator.ensureTopics(bootstrapServers, replicationFactor);
		if (!this.created.isEmpty()) {
			log.info("created topics {}", this.created);
		}
	}

	/** The topics this start created (empty when they all existed). */
	public List<String> created() {
		return this.created;
	}

}
