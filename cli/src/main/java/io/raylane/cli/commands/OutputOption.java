package io.raylane.cli.commands;

import picocli.CommandLine.Option;

/** {@code -o/--output table|json}, on every command. */
public class OutputOption {

	/** How answers are printed. */
	public enum Format {

		/** tables and lines for people */
		table,
		/** the API's JSON, for scripts */
		json

	}

	@Option(names = { "-o", "--output" }, defaultValue = "table", paramLabel = "FORMAT",
			description = "table (default) or json: the API's JSON answer, for scripts")
	Format format = Format.table;

	boolean json() {
		return this.format == Format.json;
	}

}
