package org.aioloop.core.aio;

import org.aioloop.api.PollParams;

/**
 * Adaptive userspace busy polling (util/aio-posix.c {@code try_poll_mode}, {@code run_poll_handlers},
 * {@code poll_set_started}, {@code adjust_polling_time}).
 *
 * <p>Rules kept from QEMU: polling runs only if <em>every</em> handler has a poll callback (with
 * poll/epoll backends a polled subset would starve the others: {@code poll_disable_cnt}); a
 * disabled setting ({@code maxNs == 0}) means zero polling iterations; the budget is the largest
 * per-handler window, bounded by the wait timeout; the notifier's poll ({@code notified}) stops the
 * loop but is no progress; polling mode is left only when the loop is about to block, with one last
 * round of polls to close the race; each handler's window grows (from 4 µs, ×grow) when a longer
 * window would have avoided the wait, and shrinks when the wait was longer than {@code maxNs}.
 *
 * <p>Busy-poll budgets are measured with {@link System#nanoTime()}, not with the context's clocks:
 * they bound real CPU spinning, and a manual test clock would never end the loop.
 */
final class AdaptivePoller {
    private static final long INITIAL_WINDOW_NS = 4_000;

    private volatile PollParams params;
    private volatile boolean paramsChanged;
    private boolean started;
    /** Whether the last {@link #tryPollMode} ran the polls (then the fd wait may be skipped). */
    boolean polledThisPass;
    /** Whether the last poll round found a handler other than the notifier. */
    boolean foundProgress;
    long pollHits;

    AdaptivePoller(PollParams params) {
        this.params = params;
    }

    PollParams params() {
        return params;
    }

    void setParams(PollParams p) {
        params = p;
        paramsChanged = true;
    }

    boolean enabled() {
        return params.maxNs() > 0;
    }

    /**
     * QEMU's {@code try_poll_mode}. Home thread.
     *
     * @return the timeout to wait with: 0 if polling found work, else {@code timeout} less the time
     *         spent polling
     */
    long tryPollMode(FdHandlerTable table, ReadyList ready, long timeout, CallbackInvoker inv) {
        polledThisPass = false;
        foundProgress = false;
        if (paramsChanged) {
            paramsChanged = false;
            table.resetPollWindows();
        }
        PollParams p = params;
        if (p.maxNs() == 0 || table.pollDisableCount() > 0) {
            return timeout;
        }
        FdHandler[] cands = table.pollCandidates();
        int n = table.pollCandidateCount();
        long maxNs = 0;
        for (int i = 0; i < n; i++) {
            maxNs = Math.max(maxNs, cands[i].pollNs);
        }
        maxNs = Timeouts.soonest(timeout, maxNs);
        if (maxNs == 0) {
            return timeout;
        }
        started = true;
        polledThisPass = true;
        long start = System.nanoTime();
        long elapsed;
        boolean found;
        do {
            found = pollOnce(cands, n, ready, inv);
            elapsed = System.nanoTime() - start;
        } while (!found && elapsed < maxNs);
        if (found) {
            if (foundProgress) {
                pollHits++;
            }
            return 0;
        }
        if (timeout > 0) {
            timeout -= Math.min(timeout, elapsed);
        }
        return timeout;
    }

    private boolean pollOnce(FdHandler[] cands, int n, ReadyList ready, CallbackInvoker inv) {
        boolean found = false;
        for (int i = 0; i < n; i++) {
            FdHandler h = cands[i];
            if (h.deleted || h.inPollReady) {
                continue;
            }
            if (inv.runPoll(h)) {
                found = true;
                if (!h.isNotifier) {
                    foundProgress = true;
                }
                ready.add(h, 0, true);
            }
        }
        return found;
    }

    /**
     * QEMU's {@code poll_set_started(ctx, false)} just before a blocking wait: leave polling mode
     * and poll once more "in case ->io_poll_end() raced with the event".
     *
     * @return whether that last round found work (then the wait must not block)
     */
    boolean leavePollingMode(FdHandlerTable table, ReadyList ready, CallbackInvoker inv) {
        if (!started) {
            return false;
        }
        started = false;
        if (table.pollDisableCount() > 0) {
            return false;
        }
        foundProgress = false;
        return pollOnce(table.pollCandidates(), table.pollCandidateCount(), ready, inv);
    }

    /** QEMU's {@code adjust_polling_time} for one dispatched handler. */
    void adjust(FdHandler h, long blockNs) {
        PollParams p = params;
        long max = p.maxNs();
        if (max == 0 || !h.canPoll() || blockNs <= h.pollNs) {
            return; // disabled, or the sweet spot
        }
        if (blockNs > max) {
            h.pollNs = p.shrink() == 0 ? 0 : h.pollNs / p.shrink();
        } else if (h.pollNs < max && blockNs < max) {
            long grow = p.grow() == 0 ? 2 : p.grow();
            long ns = h.pollNs == 0 ? INITIAL_WINDOW_NS : h.pollNs * grow;
            h.pollNs = Math.min(ns, max);
        }
    }
}
