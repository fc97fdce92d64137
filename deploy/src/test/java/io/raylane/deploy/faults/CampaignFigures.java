package io.raylane.deploy.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a campaign measured; {@link #table()} is what docs/reliability.md keeps.
 */
public final class CampaignFigures {

	long seed;

	int jobs;

	final Map<String, Integer> statuses = new TreeMap<>();

	final Map<String, Integer> kills = new TreeMap<>();

	int outages;

	Duration outage = Duration.ZERO;

	int sshFlaps;

	String sshNodeState = "";

	/** Jobs not terminal at the end (or unknown to the API). */
	final List<String> lost = new ArrayList<>();

	/** Jobs whose driver started more than once. */
	final List<String> duplicated = new ArrayList<>();

	/** Jobs that ended SUCCEEDED without their driver having started. */
	final List<String> neverStarted = new ArrayList<>();

	int accountedJobs;

	double maxAccountingError;

	final List<String> accountingMismatches = new ArrayList<>();

	int duplicateAccountingIds;

	int submitRetries;

	final Map<String, Integer> httpAnswers = new TreeMap<>();

	final Map<String, Integer> httpKinds = new TreeMap<>();

	final List<String> serverErrors = new ArrayList<>();

	int fuzzRequests;

	int fuzzRecords;

	final Map<String, Integer> recordsByTopic = new TreeMap<>();

	int deadLetters;

	final List<String> missingDeadLetters = new ArrayList<>();

	final List<String> unhealthyAfter = new ArrayList<>();

	Duration startUp = Duration.ZERO;

	Duration jobsPhase = Duration.ZERO;

	Duration fuzzPhase = Duration.ZERO;

	static void add(Map<String, Integer> counts, String key) {
		counts.merge(key, 1, Integer::sum);
	}

	int totalKills() {
		return this.kills.values().stream().mapToInt(Integer::intValue).sum();
	}

	int serverErrorCount() {
		return this.serverErrors.size();
	}

	public String table() {
		StringBuilder t = new StringBuilder();
		t.append("| figure | value |\n|---|---|\n");
		row(t, "seed", this.seed);
		row(t, "jobs submitted (4 users, 0/1/2/4 GPUs, 1-2 nodes)", this.jobs);
		row(t, "jobs by final status", this.statuses);
		row(t, "submissions retried (API killed or unavailable)", this.submitRetries);
		row(t, "SIGKILLs by service", this.kills + " (" + totalKills() + " in all)");
		row(t, "Ray head unreachable (SIGSTOP)", this.outages + " x " + this.outage.toSeconds() + " s");
		row(t, "SSH host flaps (sshd SIGKILLed, restarted)",
				this.sshFlaps + "; SSH node at the end: " + this.sshNodeState);
		row(t, "jobs lost (not terminal)", this.lost.size());
		row(t, "jobs run twice (driver started > once)", this.duplicated.size());
		row(t, "jobs SUCCEEDED without a driver start", this.neverStarted.size());
		row(t, "jobs accounted (GPU jobs)", this.accountedJobs);
		row(t, "accounting error, max per job (GPU-seconds)", String.format("%.6f", this.maxAccountingError));
		row(t, "jobs whose GPU-seconds differ from gpus x Ray runtime", this.accountingMismatches.size());
		row(t, "duplicate accounting record ids", this.duplicateAccountingIds);
		row(t, "fuzz: malformed JobSpecs sent", this.fuzzRequests);
		row(t, "fuzz: answers by status", this.httpAnswers);
		row(t, "fuzz: 5xx or no answer", this.serverErrorCount());
		row(t, "fuzz: malformed topic records produced", this.fuzzRecords + " " + this.recordsByTopic);
		row(t, "fuzz: dead letters with a reason (matched by offset)", this.deadLetters);
		row(t, "fuzz: records without a dead letter", this.missingDeadLetters.size());
		row(t, "services not healthy after", this.unhealthyAfter);
		row(t, "durations: start-up / jobs under chaos / fuzz", this.startUp.toSeconds() + " s / "
				+ this.jobsPhase.toSeconds() + " s / " + this.fuzzPhase.toSeconds() + " s");
		return t.toString();
	}

	private static void row(StringBuilder t, String name, Object value) {
		t.append("| ").append(name).append(" | ").append(value).append(" |\n");
	}

}
