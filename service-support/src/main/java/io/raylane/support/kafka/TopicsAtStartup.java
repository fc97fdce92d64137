package io.raylane.support.kafka;

import java.util.List;
import java.util.Map;

import io.raylane.topics.TopicCreator;
import io.raylane.topics.TopicPolicy;
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
	 * Creates the missing topics with a short-lived admin client configured by
	 * {@code adminConfig} (bootstrap servers and security settings: Spring's
	 * {@code buildAdminProperties()}).
	 */
	public static TopicsAtStartup ensure(Map<String, Object> adminConfig, TopicPolicy policy) throws Exception {
		return logged(TopicCreator.ensureTopics(adminConfig, policy));
	}

	/** Creates the missing topics with the service's own admin client. */
	public static TopicsAtStartup ensure(Admin admin, TopicPolicy policy) throws Exception {
		return logged(TopicCreator.ensureTopics(admin, policy));
	}

	private static TopicsAtStartup logged(List<String> created) {
		if (!created.isEmpty()) {
			log.info("created topics {}", created);
		}
		return new TopicsAtStartup(created);
	}

}
