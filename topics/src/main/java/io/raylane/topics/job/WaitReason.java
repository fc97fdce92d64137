package io.raylane.topics.job;

/**
 * One reason a queued job waits.
 *
 * @param code a stable code: {@code insufficient_nodes}, {@code reservation},
 * {@code quota}, {@code pool_empty}, {@code pool_draining}, {@code ray_head_capacity},
 * {@code fifo}
 * @param detail the human explanation, e.g. "needs 2 nodes with 4 free GPUs; has 1 of 2"
 */
public record WaitReason(String code, String detail) {
}
