package io.raylane.topics.node;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.raylane.topics.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodeViewTest {

	static NodeView node(NodeState state, String reason) {
		return new NodeView(1, "n1", "127.10.0.1", "default", state, reason, 4, 0, Map.of(), List.of(),
				Instant.parse("2026-11-01T00:00:00Z"));
	}

	@Test
	void shouldCountOnlyFailedOrOfflineNodesWhoseReasonSaysLostAsLost() {
		assertThat(node(NodeState.FAILED, "lost: Ray reports the node dead since 2026-11-01T00:00:00Z; "
				+ "3 re-provisioning(s) did not keep it up for PT10M")
			.lost()).isTrue();
		assertThat(node(NodeState.OFFLINE, "lost: Ray reports the node dead since 2026-11-01T00:00:00Z").lost())
			.isTrue();
		assertThat(node(NodeState.FAILED, "provisioning failed (attempt 1): ssh refused").lost()).isFalse();
		assertThat(node(NodeState.PROVISIONING, "Ray reports the node dead since 2026-11-01T00:00:00Z; "
				+ "ray start is running over SSH (re-provisioning 1 of 3)")
			.lost()).isFalse();
		assertThat(node(NodeState.OFFLINE, "decommissioned").lost()).isFalse();
		assertThat(node(NodeState.OFFLINE, null).lost()).isFalse();
		assertThat(node(NodeState.ONLINE, "Ray reports the node dead; no new jobs, not declared lost yet").lost())
			.isFalse();
	}

	@Test
	void shouldReadASnapshotWrittenBeforeGpusHeldOutsideAsNoneHeld() {
		NodeView old = Json.mapper()
			.readValue("{\"type\":\"NodeView\",\"schema_version\":1,\"node_id\":\"n1\",\"gpus\":4}", NodeView.class);

		assertThat(old.gpusHeldOutside()).isZero();
		assertThat(Json.mapper().readValue(Json.writeString(old.withGpusHeldOutside(3)), NodeView.class))
			.isEqualTo(old.withGpusHeldOutside(3));
		assertThat(old.withGpusHeldOutside(-1).gpusHeldOutside()).isZero();
	}

	@Test
	void shouldNotWriteTheLostPredicateAsAField() {
		assertThat(Json.writeString(node(NodeState.OFFLINE, "lost: dead"))).doesNotContain("\"lost\"");
	}

}
