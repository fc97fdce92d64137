package io.raylane.topics.job;

/**
 * Trainer settings of a verl workload (the workloads issue decides the full set and its defaults).
 *
 * @param totalEpochs epochs to train
 * @param totalTrainingSteps steps to train (overrides epochs when set)
 */
public record TrainerSpec(Integer totalEpochs, Integer totalTrainingSteps) {
}
