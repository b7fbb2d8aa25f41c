package org.aioloop.core.host;

/**
 * Counters of one device's callbacks, as the host measured them through its context view.
 *
 * @param device           the device's name
 * @param dispatches       callbacks run (fd, bottom half, timer, one-shot)
 * @param errors           callbacks that threw (at most one leads to isolation)
 * @param dispatchNanos    time spent in the device's callbacks in total
 * @param maxDispatchNanos the longest single callback
 */
public record DeviceStats(String device, long dispatches, long errors, long dispatchNanos,
        long maxDispatchNanos) {
}
