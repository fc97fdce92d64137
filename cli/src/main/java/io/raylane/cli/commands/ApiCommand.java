package io.raylane.cli.commands;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.raylane.cli.CliException;
import io.raylane.cli.Context;
import io.raylane.cli.ExitCodes;
import io.raylane.cli.RaylaneCli;
import io.raylane.cli.http.ApiClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every command shares: its {@link Context} (from the root command), the API client
 * of the configured endpoint, {@code --output}, and reading the API's JSON.
 */
abstract class ApiCommand implements Callable<Integer> {

	static final JsonMapper JSON = JsonMapper.builder().build();

	@Spec
	CommandSpec spec;

	@Mixin
	OutputOption output;

	Context context() {
		return ((RaylaneCli) this.spec.root().userObject()).context();
	}

	PrintWriter out() {
		return context().out();
	}

	ApiClient api() {
		return new ApiClient(context().config().endpoint());
	}

	boolean json() {
		return this.output.json();
	}

	/** Prints an answer as the API gave it ({@code --output json}). */
	void printJson(String body) {
		out().println(body.strip());
	}

	static JsonNode parse(String body) {
		try {
			JsonNode node = JSON.readTree(body);
			if (node == null || !node.isObject()) {
				throw new CliException(ExitCodes.UNAVAILABLE, "the API answered something that is not a JSON object");
			}
			return node;
		}
		catch (JacksonException ex) {
			throw new CliException(ExitCodes.UNAVAILABLE, "the API answered something that is not JSON");
		}
	}

}
