package io.raylane.cli.commands;

import java.io.IOException;

import io.raylane.cli.CliException;
import io.raylane.cli.ExitCodes;
import io.raylane.cli.config.CliConfig;
import io.raylane.cli.config.Endpoint;
import io.raylane.cli.http.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code raylane login --url U --token T}: checks the token against the API (one
 * {@code GET /v1/jobs?limit=1}), then keeps both in the config file (0600).
 */
@Command(name = "login", description = "Keep the API's URL and your token in $RAYLANE_CONFIG "
		+ "(default ~/.config/raylane/config.yaml, mode 0600); RAYLANE_URL and RAYLANE_TOKEN override it.")
public class LoginCommand extends ApiCommand {

	@Option(names = "--url", required = true, description = "the API's base URL, e.g. http://localhost:8080")
	String url;

	@Option(names = "--token", required = true, description = "your bearer token (the users file's)")
	String token;

	@Option(names = "--no-verify", description = "store without asking the API whether the token is valid")
	boolean noVerify;

	@Override
	public Integer call() {
		Endpoint endpoint = new Endpoint(this.url, this.token);
		if (endpoint.url().isEmpty() || endpoint.token().isEmpty()) {
			throw new CliException(ExitCodes.USAGE, "--url and --token must not be empty");
		}
		if (!this.noVerify) {
			// a wrong token or URL is said now, not at the first real command
			new ApiClient(endpoint).get("/v1/jobs?limit=1");
		}
		CliConfig config = context().config();
		try {
			config.save(endpoint);
		}
		catch (IOException ex) {
			throw new CliException(ExitCodes.USAGE, "cannot write " + config.file() + ": " + ex.getMessage());
		}
		if (json()) {
			out().println(JSON.createObjectNode()
				.put("url", endpoint.url())
				.put("config", config.file().toString())
				.toString());
		}
		else {
			out().println("Logged in to " + endpoint.url() + "; URL and token kept in " + config.file());
		}
		return ExitCodes.OK;
	}

}
