package org.aioloop.api;

/**
 * Counters of one context since it was created.
 *
 * @param iterations      passes run ({@code poll} calls or source dispatches)
 * @param blockingWaits   waits in the kernel with a non-zero timeout
 * @param kicks           {@link AioContext#kick()} calls
 * @param wakeupWrites    eventfd writes those kicks needed (the rest were skipped by
 *                        {@code notify_me})
 * @param fdDispatches    fd and poll-ready callbacks run
 * @param bottomHalfRuns  bottom-half callbacks run
 * @param timerRuns       timer callbacks run
 * @param pollHits        passes where busy polling found work without a system call
 * @param callbackErrors  callbacks that threw
 * @param backendSwitches successful backend switches
 * @param maxDispatchNanos the longest dispatch phase of one pass: its bottom halves, fd callbacks
 *                        and timers together (what a stall of the loop looks like). Measured per
 *                        pass, not per callback, to keep clock reads off the per-event path; the
 *                        host times each device's callbacks separately.
 * @param dispatchNanos   time spent dispatching callbacks in total
 * @param maxSwitchStallNanos the longest the loop stopped between two passes for backend-switch
 *                        work (starting an off-loop fill, swapping in the filled monitor, or a
 *                        synchronous replay): the pause a live switch costs the loop itself
 */
public record ContextStats(long iterations, long blockingWaits, long kicks, long wakeupWrites,
        long fdDispatches, long bottomHalfRuns, long timerRuns, long pollHits, long callbackErrors,
        long backendSwitches, long maxDispatchNanos, long dispatchNanos, long maxSwitchStallNanos) {
}
