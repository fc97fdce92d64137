package io.raylane.api.nodes;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.raylane.topics.node.NodeView;
import io.swagger.v3.oas.annotations.media.Schema;

/** The fleet endpoints' bodies (snake_case by the API's mapper). */
final class NodeResponses {

	private NodeResponses() {
	}

	/** One node as operators see it; every field is present, null included. */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record NodeResponse(String nodeId, String host, Integer port, String user, String pool, Map<String, String> labels,
			int gpus, int gpusAllocated, String state, String reason, List<String> jobs, Instant updatedAt, String role,
			Map<String, String> env, int gpusHeldOutside) {

		/**
		 * {@code role} and {@code env} come from the registered spec (issue 16): null for
		 * a node learned from Ray alone. {@code gpus_held_outside}: GPUs that Ray work
		 * Raylane did not submit holds on the node (issue 14), not offered meanwhile.
		 */
		static NodeResponse of(NodeView view) {
			return new NodeResponse(view.nodeId(), view.host(), view.port(), view.user(), view.pool(), view.labels(),
					view.gpus(), view.gpusAllocated(), (view.state() != null) ? view.state().name() : null,
					view.reason(), view.jobs(), view.updatedAt(),
					(view.spec() != null) ? view.spec().roleOrDefault() : null,
					(view.spec() != null) ? view.spec().env() : null, view.gpusHeldOutside());
		}

	}

	/**
	 * A page of nodes; {@code next_page_token} is the {@code page_token} of the next,
	 * null on the last.
	 */
	record NodeList(List<NodeResponse> nodes, String nextPageToken) {
	}

	/** A request was written; the node's state follows on GET. */
	@Schema(name = "NodeAck")
	record Ack(String nodeId, String requested, String state) {
	}

	/**
	 * The optional body of {@code :drain}: an instant, or a duration from now ("10m").
	 */
	record DrainRequest(Instant deadline, String timeout) {
	}

}
