package io.raylane.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in API on 127.0.0.1 for the CLI's fast tests: each route answers from a script
 * (the last answer repeats), and every request is recorded. The real API is driven by
 * deploy's CliEndToEndTest.
 */
public final class ScriptedApi implements AutoCloseable {

	/** One scripted answer. */
	public record Answer(int status, String contentType, String body) {

		public static Answer json(int status, String body) {
			return new Answer(status, "application/json", body);
		}

	}

	/** One request the CLI made. */
	public record Request(String method, String uri, String authorization, String contentType, String body) {
	}

	private final HttpServer server;

	private final Map<String, Deque<Answer>> routes = new HashMap<>();

	private final List<Request> requests = new ArrayList<>();

	public ScriptedApi() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	public String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * Scripts {@code "GET /v1/jobs/rl-1"} (the path with its query) to answer these in
	 * turn.
	 */
	public ScriptedApi on(String methodAndUri, Answer... answers) {
		this.routes.put(methodAndUri, new ArrayDeque<>(List.of(answers)));
		return this;
	}

	public synchronized List<Request> requests() {
		return List.copyOf(this.requests);
	}

	/** Runs the CLI against this API with a token in the environment. */
	public Run run(Path home, String... args) {
		return Run.of(Map.of("RAYLANE_URL", url(), "RAYLANE_TOKEN", "test-token"), home, args);
	}

	private void handle(HttpExchange exchange) throws IOException {
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		String key = exchange.getRequestMethod() + " " + exchange.getRequestURI();
		Answer answer;
		synchronized (this) {
			this.requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
					exchange.getRequestHeaders().getFirst("Authorization"),
					exchange.getRequestHeaders().getFirst("Content-Type"), body));
			Deque<Answer> script = this.routes.get(key);
			if (script == null) {
				answer = Answer.json(404,
						"{\"error\": \"not_scripted\", \"field\": null, \"detail\": \"" + key + "\"}");
			}
			else {
				answer = (script.size() > 1) ? script.removeFirst() : script.getFirst();
			}
		}
		byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", answer.contentType());
		exchange.sendResponseHeaders(answer.status(), (bytes.length == 0) ? -1 : bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	/** What one CLI run printed and how it ended. */
	public record Run(int exitCode, String out, String err) {

		public static Run of(Map<String, String> env, Path home, String... args) {
			StringWriter out = new StringWriter();
			StringWriter err = new StringWriter();
			int code = RaylaneCli.run(args,
					new Context(env, home, new PrintWriter(out, true), new PrintWriter(err, true), false));
			return new Run(code, out.toString(), err.toString());
		}

	}

}
