package io.raylane.raystandin;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestCountsTest {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			GET  | /api/jobs/                    | GET /api/jobs/
			POST | /api/jobs/                    | POST /api/jobs/
			GET  | /api/jobs/rl-123              | GET /api/jobs/{id}
			GET  | /api/jobs/rl-123/logs         | GET /api/jobs/{id}/logs
			POST | /api/jobs/rl-123/stop         | POST /api/jobs/{id}/stop
			GET  | /api/v0/nodes                 | GET /api/v0/nodes
			GET  | ''                            | GET /
			""")
	void shouldCountOneRoutePerPathShapeNotPerJob(String method, String path, String route) {
		assertThat(RequestCounts.routeOf(method, path)).isEqualTo(route);
	}

	@Test
	void shouldAddUpRequestsOfTheSameRoute() {
		RequestCounts counts = new RequestCounts();
		counts.count("GET", "/api/jobs/a");
		counts.count("GET", "/api/jobs/b");
		counts.count("GET", "/api/jobs/");

		assertThat(counts.snapshot()).isEqualTo(Map.of("GET /api/jobs/{id}", 2L, "GET /api/jobs/", 1L));
	}

}
