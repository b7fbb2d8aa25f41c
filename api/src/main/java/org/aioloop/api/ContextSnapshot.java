package org.aioloop.api;

import java.util.List;

/**
 * What a context holds at one moment, for diagnostics.
 *
 * @param name         the context's name
 * @param homeThread   its home thread's name, or null
 * @param backend      the backend in use
 * @param handlers     registered fd handlers
 * @param bottomHalves bottom halves that are scheduled or alive
 * @param timers       armed timers
 */
public record ContextSnapshot(String name, String homeThread, String backend, List<Handler> handlers,
        List<Bh> bottomHalves, List<TimerEntry> timers) {

    /**
     * @param fd      the fd
     * @param events  its interest mask ({@link IoEvents})
     * @param owner   the device or component that registered it, or null
     * @param canPoll whether it has a busy-poll callback
     */
    public record Handler(int fd, int events, String owner, boolean canPoll) {
    }

    /**
     * @param name      the bottom half's name
     * @param scheduled whether a run is pending
     * @param idle      whether the pending run is idle
     */
    public record Bh(String name, boolean scheduled, boolean idle) {
    }

    /**
     * @param name         the timer's name
     * @param clock        its clock
     * @param expireNanos  its deadline on that clock
     */
    public record TimerEntry(String name, ClockType clock, long expireNanos) {
    }
}
