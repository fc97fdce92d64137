package io.raylane.raystandin;

import java.nio.file.Path;

/**
 * Runs a local head in its own JVM (for the kill -9 test): args = state dir; prints
 * "ADDRESS <url>".
 */
public final class HeadProcessMain {

	private HeadProcessMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		LocalRayHead head = LocalRayHead.start(LocalRayHeadConfig.defaults(Path.of(args[0])).withPort(0));
		System.out.println("ADDRESS " + head.address());
		System.out.flush();
		Thread.sleep(Long.MAX_VALUE);
	}

}
