package io.raylane.scheduler.topology;

/**
 * A readable scheduler input on its way to the pool processor.
 *
 * @param event the input, keyed by its pool
 * @param owned true when the record was read from the partition that owns its pool, so
 * the task that read it holds the pool's state and schedules it at once; false when it
 * must cross the by-pool repartition topic first (a writer that placed it by its key, or
 * a topic with another partition count)
 */
record RoutedEvent(PoolEvent event, boolean owned) {

}
