package io.raylane.api.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The loop of a followed log ({@code logs?follow=true}), apart from HTTP: read the job's
 * state and then its log, send what is new, and stop once the job ended (after sending
 * the rest), at the time bound, or at the byte bound. The state is read before the log,
 * so the last log read, made after the job was seen ended, holds the log's end.
 */
final class LogFollow {

	/**
	 * Reads of an ended job's log that failed (Ray answering 5xx between the job's end
	 * and the archive) before the stream gives up on the rest.
	 */
	static final int ENDED_RETRIES = 5;

	private LogFollow() {
	}

	/** Why a stream ended. */
	enum End {

		JOB_ENDED, TIME_LIMIT, BYTE_LIMIT, LOG_UNREADABLE

	}

	/**
	 * One reading.
	 *
	 * @param log the whole log so far, or null when it cannot be read just now
	 * @param ended whether the job had ended before the log was read
	 */
	record Read(String log, boolean ended) {
	}

	interface Source {

		Read read();

	}

	interface Sink {

		void write(String chunk) throws IOException;

	}

	interface Pause {

		void sleep(Duration duration) throws InterruptedException;

	}

	record Limits(Duration maxTime, long maxBytes, Duration interval) {
	}

	static End follow(Source source, Sink sink, Clock clock, Limits limits, Pause pause)
			throws IOException, InterruptedException {
		Instant deadline = clock.instant().plus(limits.maxTime());
		long budget = limits.maxBytes();
		int sent = 0;
		int failedAfterEnd = 0;
		while (true) {
			// 1. the state, then the log
			Read read = source.read();
			// 2. what is new, within the byte budget
			if (read.log() != null && read.log().length() > sent) {
				String fresh = read.log().substring(sent);
				String chunk = within(fresh, budget);
				if (!chunk.isEmpty()) {
					sink.write(chunk);
					sent += chunk.length();
					budget -= utf8Length(chunk);
				}
				if (chunk.length() < fresh.length()) {
					return End.BYTE_LIMIT;
				}
			}
			// 3. the end: the job's (once its log was read), or a bound's
			if (read.ended() && read.log() != null) {
				return End.JOB_ENDED;
			}
			if (read.ended() && ++failedAfterEnd > ENDED_RETRIES) {
				return End.LOG_UNREADABLE;
			}
			if (!clock.instant().isBefore(deadline)) {
				return End.TIME_LIMIT;
			}
			pause.sleep(limits.interval());
		}
	}

	/** The longest start of {@code text} whose UTF-8 form fits {@code budget} bytes. */
	static String within(String text, long budget) {
		if (utf8Length(text) <= budget) {
			return text;
		}
		long used = 0;
		int end = 0;
		while (end < text.length()) {
			int codePoint = text.codePointAt(end);
			long size = utf8Length(new String(Character.toChars(codePoint)));
			if (used + size > budget) {
				break;
			}
			used += size;
			end += Character.charCount(codePoint);
		}
		return text.substring(0, end);
	}

	private static long utf8Length(String text) {
		return text.getBytes(StandardCharsets.UTF_8).length;
	}

}
