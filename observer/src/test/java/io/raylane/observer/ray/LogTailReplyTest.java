package io.raylane.observer.ray;

import io.raylane.rayclient.wire.LogFileRoute;
import io.raylane.rayclient.wire.LogTailAnswers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the answers Ray 2.60 gives on its log tail route mean to the observer. */
class LogTailReplyTest {

	@Test
	void shouldTellATailFromNoFileFromNoRouteFromAFailedRead() {
		assertThat(LogTailReply.of(200, "")).isEqualTo(LogTailReply.TAIL);
		assertThat(LogTailReply.of(500, "A file is not found at: /tmp/ray/session_x/logs/job-driver-a.log"))
			.isEqualTo(LogTailReply.NO_FILE);
		assertThat(LogTailReply.of(500, LogFileRoute.SERVER_TROUBLE + "\n")).isEqualTo(LogTailReply.NO_ROUTE);
		assertThat(LogTailReply.of(404, "404: Not Found")).isEqualTo(LogTailReply.NO_ROUTE);
		assertThat(LogTailReply.of(500, "Agent for node id: ab doesn't exist.")).isEqualTo(LogTailReply.FAILED);
		assertThat(LogTailReply.of(500, LogTailAnswers.notFound("a"))).isEqualTo(LogTailReply.FAILED);
		assertThat(LogTailReply.of(503, "")).isEqualTo(LogTailReply.FAILED);
	}

}
