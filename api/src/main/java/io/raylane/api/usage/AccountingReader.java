package io.raylane.api.usage;

import io.raylane.api.SnapshotTopicReader;
import io.raylane.support.kafka.DeadLetterPublisher;
import io.raylane.support.kafka.TopicsAtStartup;
import io.raylane.topics.Topics;
import io.raylane.topics.events.GpuUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Follows the append-only {@code raylane.accounting} log into {@link UsageLedger}: every
 * partition from the beginning, {@code read_committed} (the observer produces it in
 * transactions, so aborted records are never seen), no consumer group (each API instance
 * keeps the whole ledger). A record that cannot be read, lacks what a usage query needs
 * (id, job, user, pool, interval), or whose id is not {@code <job id>/<interval index>}
 * goes to {@code raylane.dead-letters} and the reader carries on (see
 * {@link SnapshotTopicReader}).
 */
@Component
final class AccountingReader extends SnapshotTopicReader<GpuUsage> {

	private static final Logger log = LoggerFactory.getLogger(AccountingReader.class);

	private final UsageLedger ledger;

	AccountingReader(KafkaProperties kafka, TopicsAtStartup topicsAtStartup, UsageLedger ledger,
			DeadLetterPublisher deadLetters) {
		super(Topics.ACCOUNTING, kafka, deadLetters);
		this.ledger = ledger;
	}

	@Override
	protected String idOf(GpuUsage usage) {
		return usage.id();
	}

	@Override
	protected void put(GpuUsage usage) {
		// thrown here, the record is dead-lettered by the caller with this reason
		if (usage.jobId() == null || usage.user() == null || usage.pool() == null || usage.intervalStart() == null
				|| usage.intervalEnd() == null || usage.gpus() < 0
				|| usage.intervalEnd().isBefore(usage.intervalStart())) {
			throw new IllegalArgumentException(
					"GpuUsage " + usage.id() + " lacks job_id, user, pool or a valid interval, or has negative gpus");
		}
		this.ledger.add(usage);
	}

	@Override
	protected void remove(String key) {
		// an append-only log: a tombstone (which nobody writes) removes nothing
	}

	@Override
	protected void onCaughtUp() {
		log.info("accounting ledger caught up with {}: {} records", Topics.ACCOUNTING, this.ledger.size());
	}

}
