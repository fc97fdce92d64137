package io.raylane.api.code;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Bounds of {@code POST /v1/code} ({@code RAYLANE_CODE_MAX_ARCHIVE_SIZE} and so on).
 *
 * @param maxArchiveSize the upload itself (413 past it)
 * @param maxUnpackedSize the files together once unpacked (400 past it: a decompression
 * bomb stops here)
 * @param maxEntries files and directories together
 */
@ConfigurationProperties("raylane.code")
record CodeProperties(@DefaultValue("200MB") DataSize maxArchiveSize, @DefaultValue("1GB") DataSize maxUnpackedSize,
		@DefaultValue("50000") int maxEntries) {

	CodeArchives.Limits limits() {
		return new CodeArchives.Limits(this.maxArchiveSize.toBytes(), this.maxUnpackedSize.toBytes(), this.maxEntries);
	}

}
