package io.raylane.topics.job;

/**
 * The gang a job asks for: {@code nnodes} distinct nodes of its pool, each with
 * {@code n_gpus_per_node} free GPUs. Missing values default to one node and no GPU.
 */
public record Resources(Integer nnodes, Integer nGpusPerNode) {

	public static Resources of(int nnodes, int nGpusPerNode) {
		return new Resources(nnodes, nGpusPerNode);
	}

	public int nodes() {
		return (this.nnodes != null) ? this.nnodes : 1;
	}

	public int gpusPerNode() {
		return (this.nGpusPerNode != null) ? this.nGpusPerNode : 0;
	}

	public int totalGpus() {
		return nodes() * gpusPerNode();
	}

}
