package io.raylane.deploy.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * When the campaign hurts what, drawn from a seed. Pure.
 * <p>
 * Kills: {@code kills} SIGKILLs spread evenly over the window with jitter; the first
 * round is a shuffled list of every service, so that each kind is killed at least once
 * even in a short campaign; after it the victim is random. Each victim stays down a
 * random 0.5-5 s before it is started again (kills are sequential: two services may be
 * down at once only while one is still starting). The Ray outage starts between 35 % and
 * 60 % of the window, and not before the first flap has been over for 15 s (the SSH node
 * is provisioned by then: a {@code ray start} against an unreachable head fails the node,
 * which is Ray's answer, not a fault the campaign looks for). SSH flaps: the first at the
 * start (the SSH node is registered while its sshd is down), the second between 55 % and
 * 80 % (while jobs run on it).
 */
public record ChaosPlan(List<Kill> kills, Duration outageAt, Duration outage, List<Duration> flapsAt,
		Duration flapDown) {

	/** One SIGKILL of {@code service} at {@code at}, started again {@code down} later. */
	public record Kill(Duration at, String service, Duration down) {
	}

	public static ChaosPlan draw(long seed, Duration window, int kills, List<String> services, Duration outage,
			Duration flapDown) {
		Random random = new Random(seed);
		List<String> victims = new ArrayList<>(services);
		Collections.shuffle(victims, random);
		while (victims.size() < kills) {
			victims.add(services.get(random.nextInt(services.size())));
		}
		long slot = window.toMillis() / Math.max(1, kills);
		List<Kill> planned = new ArrayList<>();
		for (int i = 0; i < kills; i++) {
			long at = i * slot + (long) (random.nextDouble() * slot / 2);
			planned.add(new Kill(Duration.ofMillis(at), victims.get(i), Duration.ofMillis(500 + random.nextInt(4500))));
		}
		Duration outageAt = fraction(window, 0.35 + 0.25 * random.nextDouble());
		Duration provisioned = flapDown.plusSeconds(15);
		outageAt = (outageAt.compareTo(provisioned) < 0) ? provisioned : outageAt;
		Duration secondFlap = fraction(window, 0.55 + 0.25 * random.nextDouble());
		return new ChaosPlan(List.copyOf(planned), outageAt, outage, List.of(Duration.ZERO, secondFlap), flapDown);
	}

	private static Duration fraction(Duration window, double share) {
		return Duration.ofMillis((long) (window.toMillis() * share));
	}

}
