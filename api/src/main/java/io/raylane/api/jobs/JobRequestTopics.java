package io.raylane.api.jobs;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.raylane.api.security.UserDirectory;
import io.raylane.support.RaylaneSettings;
import io.raylane.support.kafka.TopicsAtStartup;
import io.raylane.topics.Topic;
import io.raylane.topics.TopicCreator;
import io.raylane.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Creates each API user's request topic {@code raylane.job-requests.<user>} at start-up
 * (one partition, {@code LogAppendTime}, the same replicas and min ISR as the catalog),
 * so that a direct producer finds it and the intake reads it from its first poll. Who may
 * write each one is the cluster's ACLs (docs/topics.md): Raylane creates topics, it never
 * grants access. A user whose name cannot end a topic name has none.
 */
@Component
final class JobRequestTopics {

	private static final Logger log = LoggerFactory.getLogger(JobRequestTopics.class);

	private final Set<String> users = new LinkedHashSet<>();

	JobRequestTopics(Admin raylaneAdmin, UserDirectory directory, RaylaneSettings settings,
			TopicsAtStartup catalogCreated) throws Exception {
		List<Topic<?, ?>> topics = new ArrayList<>();
		for (String user : directory.names()) {
			try {
				topics.add(Topics.jobRequests(user));
				this.users.add(user);
			}
			catch (IllegalArgumentException ex) {
				log.warn("user {} gets no request topic for direct producers: {}", user, ex.getMessage());
			}
		}
		List<String> created = TopicCreator.ensure(raylaneAdmin, topics, settings.kafka().topicPolicy());
		if (!created.isEmpty()) {
			log.info("created request topics {}", created);
		}
	}

	/** The users that have a request topic. */
	Set<String> users() {
		return Set.copyOf(this.users);
	}

}
