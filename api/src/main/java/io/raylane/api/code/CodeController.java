package io.raylane.api.code;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import io.raylane.api.audit.AuditPublisher;
import io.raylane.api.errors.ApiException;
import io.raylane.api.security.Caller;
import io.raylane.support.RaylaneSettings;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/code}: code snapshots (issue 15, roadmap v3.1 way B). {@code POST} takes a
 * zip or tar.gz body and stores it, read-only, as the caller's
 * {@code users/<user>/code/<name>/<content hash>}; its {@code path} is a valid
 * {@code code_path}. A hostile archive (absolute paths, {@code ..}, links, devices, a
 * decompression bomb) is a 400 naming the entry, and nothing is written. {@code GET}
 * lists the caller's own snapshots.
 */
@RestController
@RequestMapping("/v1/code")
@EnableConfigurationProperties(CodeProperties.class)
class CodeController {

	private final CodeSnapshots snapshots;

	private final CodeProperties properties;

	private final AuditPublisher audit;

	CodeController(RaylaneSettings settings, CodeProperties properties, AuditPublisher audit) {
		this.snapshots = new CodeSnapshots(settings.shared().root(), properties.limits());
		this.properties = properties;
		this.audit = audit;
	}

	@PostMapping
	ResponseEntity<CodeSnapshots.Snapshot> push(@RequestParam(required = false) String name, HttpServletRequest request,
			Authentication authentication) throws IOException {
		Caller caller = Caller.of(authentication);
		EntryRules.nameProblem(name).ifPresent((problem) -> {
			throw ApiException.badRequest("invalid_parameter", "name", problem);
		});
		String contentType = request.getContentType();
		boolean sniffed = CodeArchives.Format.sniffed(contentType);
		if (!sniffed && CodeArchives.Format.of(contentType).isEmpty()) {
			throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", null,
					"send the code as application/zip, application/gzip (a tar.gz) or application/octet-stream, got "
							+ contentType);
		}
		long max = this.properties.maxArchiveSize().toBytes();
		if (request.getContentLengthLong() > max) {
			throw tooLarge(max);
		}
		CodeSnapshots.Snapshot snapshot;
		try (InputStream body = new BufferedInputStream(
				new LimitedInputStream(request.getInputStream(), max, () -> tooLarge(max)))) {
			body.mark(2);
			byte[] head = body.readNBytes(2);
			body.reset();
			CodeArchives.Format format = (sniffed ? CodeArchives.Format.of(head) : CodeArchives.Format.of(contentType))
				.orElseThrow(() -> ApiException.badRequest("invalid_archive", null,
						"neither a zip nor a gzip (tar.gz) archive"));
			snapshot = this.snapshots.store(caller.name(), name, format, body);
		}
		this.audit.record(caller.name(), "push_code", name + "/" + snapshot.hash(),
				snapshot.created() ? "stored" : "already stored", request.getRemoteAddr());
		return ResponseEntity.status(snapshot.created() ? HttpStatus.CREATED : HttpStatus.OK).body(snapshot);
	}

	@GetMapping
	SnapshotList list(Authentication authentication) throws IOException {
		return new SnapshotList(this.snapshots.list(Caller.of(authentication).name()));
	}

	private static ApiException tooLarge(long max) {
		return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "archive_too_large", null,
				"the archive is larger than " + max + " bytes (raylane.code.max-archive-size)");
	}

	record SnapshotList(List<CodeSnapshots.Snapshot> snapshots) {
	}

}
