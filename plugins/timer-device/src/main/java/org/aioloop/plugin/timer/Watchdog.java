package org.aioloop.plugin.timer;

import java.util.concurrent.TimeUnit;

import org.aioloop.api.ClockType;
import org.aioloop.api.Timer;
import org.aioloop.api.device.DeviceContext;

/**
 * A watchdog: fires its action unless {@link #pet()} is called at least once per timeout.
 *
 * <p>On the VIRTUAL clock the watchdog is paused with the clock (a stopped machine cannot pet it, so
 * it must not bite either), exactly like a guest watchdog in QEMU.
 */
final class Watchdog {
    private final ClockType clock;
    private final long timeoutNanos;
    private final Runnable action;
    private volatile Timer timer;
    private volatile long expiries;

    Watchdog(ClockType clock, long timeoutNanos, Runnable action) {
        this.clock = clock;
        this.timeoutNanos = timeoutNanos;
        this.action = action;
    }

    void start(DeviceContext ctx) {
        Timer t = ctx.newTimer(clock, "watchdog", this::onExpire);
        timer = t;
        t.modIn(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Restarts the countdown. Any thread (timer arming is thread-safe). */
    void pet() {
        Timer t = timer;
        if (t != null) {
            t.modIn(timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void onExpire() {
        expiries++; // home thread only
        action.run();
        Timer t = timer;
        if (t != null) {
            t.modIn(timeoutNanos, TimeUnit.NANOSECONDS); // keeps watching after it bit
        }
    }

    void stop() {
        Timer t = timer;
        timer = null;
        if (t != null) {
            t.close();
        }
    }

    long expiries() {
        return expiries;
    }
}
