package io.raylane.submitter.ray;

/**
 * One raw HTTP answer of Ray's dashboard: its status and its body as text (error bodies
 * of the Jobs API are plain text, often a Python traceback).
 */
record RayAnswer(int status, String body) {

	public RayAnswer {
		body = (body != null) ? body : "";
	}

	public boolean ok() {
		return this.status == 200;
	}

}
