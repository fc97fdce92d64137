package io.raylane.cli.commands;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.raylane.cli.CliException;
import io.raylane.cli.ExitCodes;
import io.raylane.cli.http.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code raylane code}: the caller's code snapshots ({@code GET /v1/code}); {@code push}
 * packs a folder as a zip and uploads it ({@code POST /v1/code?name=}), printing the
 * snapshot's path to use as {@code code_path}.
 */
@Command(name = "code", description = "Your code snapshots; push a folder as a new one.",
		subcommands = { CodeCommand.Push.class })
public class CodeCommand extends ApiCommand {

	@Override
	public Integer call() {
		String answer = api().get("/v1/code");
		if (json()) {
			printJson(answer);
			return ExitCodes.OK;
		}
		for (JsonNode snapshot : parse(answer).path("snapshots")) {
			out().println(snapshot.path("name").asString() + "  " + snapshot.path("created_at").asString() + "  "
					+ snapshot.path("path").asString());
		}
		return ExitCodes.OK;
	}

	@Command(name = "push", description = "Upload DIR as a read-only snapshot; prints its path (a code_path).")
	static class Push extends ApiCommand {

		@Parameters(index = "0", paramLabel = "DIR", description = "the folder to upload")
		Path dir;

		@Option(names = "--name", required = true, paramLabel = "NAME",
				description = "the snapshot's name (letters, digits, '.', '_', '-')")
		String name;

		@Override
		public Integer call() {
			byte[] zip = zip(this.dir);
			String answer = api().post(ApiClient.query("/v1/code", ApiClient.parameters("name", this.name)),
					"application/zip", zip);
			if (json()) {
				printJson(answer);
				return ExitCodes.OK;
			}
			JsonNode snapshot = parse(answer);
			out().println(snapshot.path("path").asString());
			return ExitCodes.OK;
		}

	}

	/**
	 * The folder as a zip of its regular files, paths relative to it. A link is an error
	 * here rather than a 400 later: the API refuses links, and following one could upload
	 * what lies outside the folder.
	 */
	static byte[] zip(Path dir) {
		if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
			throw new CliException(ExitCodes.USAGE, "not a folder: " + dir);
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> walk = Files.walk(dir)) {
			List<Path> paths = walk.sorted().toList();
			for (Path path : paths) {
				if (Files.isSymbolicLink(path)) {
					throw new CliException(ExitCodes.USAGE,
							"links are not uploaded (the API refuses them): " + dir.relativize(path));
				}
				if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
					zip.putNextEntry(new ZipEntry(dir.relativize(path).toString().replace('\\', '/')));
					Files.copy(path, zip);
					zip.closeEntry();
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not pack " + dir, ex);
		}
		return bytes.toByteArray();
	}

}
