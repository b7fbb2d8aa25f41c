package org.aioloop.bench.peer;

/**
 * A task bound to a loop's cross-thread wakeup path (see {@link BenchLoop#newTrigger(Runnable)}).
 */
@FunctionalInterface
public interface Trigger {
    /** Makes the loop run the bound task once; any thread. */
    void fire();
}
