package io.raylane.deploy.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The campaign's jobs, drawn from a seed: mixed sizes (0, 1, 2 or 4 GPUs per node; one or
 * two nodes for GPU jobs, one for the others), short sleeps, several users. Pure.
 */
public final class JobMix {

	static final int[] GPUS = { 0, 1, 2, 4 };

	static final double[] SLEEPS = { 0.5, 1, 2, 3 };

	/**
	 * One job to submit.
	 *
	 * @param index its place in the campaign (its name is {@code c-<index>})
	 * @param user who submits it
	 * @param nnodes nodes of its gang
	 * @param gpusPerNode GPUs on each node
	 * @param sleepSeconds how long its driver sleeps
	 */
	public record Job(int index, String user, int nnodes, int gpusPerNode, double sleepSeconds) {

		public String name() {
			return "c-" + this.index;
		}

		public int gpus() {
			return this.nnodes * this.gpusPerNode;
		}

	}

	private JobMix() {
	}

	public static List<Job> draw(long seed, int count, List<String> users) {
		Random random = new Random(seed);
		List<Job> jobs = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			int gpus = GPUS[random.nextInt(GPUS.length)];
			int nnodes = (gpus > 0 && random.nextInt(3) == 0) ? 2 : 1;
			jobs.add(new Job(i, users.get(random.nextInt(users.size())), nnodes, gpus,
					SLEEPS[random.nextInt(SLEEPS.length)]));
		}
		return jobs;
	}

}
