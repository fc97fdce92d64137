package io.raylane.deploy.faults;

import java.nio.file.Path;

import io.raylane.raystandin.LocalRayHead;
import io.raylane.raystandin.LocalRayHeadConfig;

/**
 * The campaign's Ray: the Java stand-in head (fixture) in a JVM of its own, so that it
 * can be paused (SIGSTOP) like a head behind a network partition. Arguments: state
 * directory, dashboard port, metrics port, simulated workers, GPUs per worker. A SIGTERM
 * closes the head, which stops its drivers.
 */
public final class StandInHeadMain {

	private StandInHeadMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		LocalRayHead head = LocalRayHead.start(LocalRayHeadConfig.defaults(Path.of(args[0]))
			.withPort(Integer.parseInt(args[1]))
			.withMetricsPort(Integer.parseInt(args[2]))
			.withWorkers(Integer.parseInt(args[3]), Integer.parseInt(args[4]), "default"));
		Runtime.getRuntime().addShutdownHook(new Thread(head::close));
		System.out.println("ADDRESS " + head.address());
		System.out.flush();
		Thread.sleep(Long.MAX_VALUE);
	}

}
