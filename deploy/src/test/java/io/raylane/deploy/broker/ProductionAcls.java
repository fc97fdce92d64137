package io.raylane.deploy.broker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.raylane.topics.Topics;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs of docs/topics.md ("Production ACLs"), as Kafka's admin API takes them, so a
 * test can switch them on and show they are enough for Raylane and too little for anyone
 * else:
 * <ul>
 * <li>Raylane's services, one principal: everything on the topics, consumer groups and
 * transactional ids named {@code raylane*} (the catalog, the request topics, the
 * scheduler's internal {@code raylane-scheduler-*} topics);</li>
 * <li>each user: WRITE on their own request topic {@code raylane.job-requests.<user>}
 * (LITERAL: a prefix would also give {@code alice} the topic of a user {@code alice2}),
 * and nothing else, {@code raylane.job-commands} least of all.</li>
 * </ul>
 */
public final class ProductionAcls {

	private ProductionAcls() {
	}

	public static List<AclBinding> of(String raylanePrincipal, Collection<String> users) {
		List<AclBinding> acls = new ArrayList<>();
		for (ResourceType type : List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
			acls.add(allow(new ResourcePattern(type, "raylane", PatternType.PREFIXED), raylanePrincipal,
					AclOperation.ALL));
		}
		for (String user : users) {
			acls.add(
					allow(new ResourcePattern(ResourceType.TOPIC, Topics.jobRequests(user).name(), PatternType.LITERAL),
							user, AclOperation.WRITE));
		}
		return acls;
	}

	private static AclBinding allow(ResourcePattern pattern, String user, AclOperation operation) {
		return new AclBinding(pattern, new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
	}

}
