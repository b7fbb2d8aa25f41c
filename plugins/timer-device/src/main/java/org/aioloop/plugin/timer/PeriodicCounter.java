package org.aioloop.plugin.timer;

import java.util.concurrent.TimeUnit;

import org.aioloop.api.ClockType;
import org.aioloop.api.Timer;
import org.aioloop.api.device.DeviceContext;

/**
 * Counts whole periods of one clock with one timer, like an RTC's seconds counter.
 *
 * <p>Deadlines are absolute ({@code start + k * period}), so the count does not drift with callback
 * latency, and a late callback counts every period that has passed (a clock that jumped, or a loop
 * that was busy, loses no ticks). On the VIRTUAL clock nothing is counted while the clock is
 * stopped, because the clock itself does not advance and its timers do not fire.
 */
final class PeriodicCounter {
    private final ClockType clock;
    private final long periodNanos;
    private Timer timer;            // home thread only
    private DeviceContext context;  // home thread only
    private long nextDeadline;      // home thread only
    private volatile long count;

    PeriodicCounter(ClockType clock, long periodNanos) {
        this.clock = clock;
        this.periodNanos = periodNanos;
    }

    void start(DeviceContext ctx, String name) {
        context = ctx;
        timer = ctx.newTimer(clock, name, this::onExpire);
        long now = ctx.clocks().nanos(clock);
        nextDeadline = saturatedAdd(now, periodNanos);
        arm(now);
    }

    private void onExpire() {
        long now = context.clocks().nanos(clock);
        if (now - nextDeadline >= 0) {
            long periods = (now - nextDeadline) / periodNanos + 1;
            count += periods;
            nextDeadline = saturatedAdd(nextDeadline, periods * periodNanos);
        } // else an early wake-up: never count a period twice
        arm(now);
    }

    // Armed by delay, not by absolute deadline: a clock may read negative (its origin is not
    // specified), and Timer.modNanos accepts only deadlines >= 0. The count stays exact because it
    // is computed from nextDeadline, not from when the callback happens to run.
    private void arm(long now) {
        timer.modIn(Math.max(0, nextDeadline - now), TimeUnit.NANOSECONDS);
    }

    void stop() {
        if (timer != null) {
            timer.close();
            timer = null;
        }
    }

    long count() {
        return count;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
