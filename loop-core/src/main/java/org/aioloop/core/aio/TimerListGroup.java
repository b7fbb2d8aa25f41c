package org.aioloop.core.aio;

import java.util.ArrayList;
import java.util.List;
import org.aioloop.api.ClockSource;
import org.aioloop.api.ClockType;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.ContextSnapshot;

/**
 * One timer list per clock (QEMU's {@code QEMUTimerListGroup}); the owner's deadline is the
 * soonest of them. An AioContext owns one, and so does the main loop (QEMU's {@code main_loop_tlg}):
 * both use the same heap and timer classes.
 */
public final class TimerListGroup {
    private final TimerList[] lists;

    /** An AioContext's group: its timers are named "timer '...'" in errors and snapshots. */
    TimerListGroup(ClockSource clocks, Runnable notify) {
        this(clocks, notify, "timer");
    }

    /**
     * @param clocks the clocks the timers run on
     * @param notify kicks the owner's loop when an arm makes a new earliest deadline of its clock
     * @param kind   how the timers call themselves in messages ("timer", "main-loop timer")
     */
    public TimerListGroup(ClockSource clocks, Runnable notify, String kind) {
        ClockType[] types = ClockType.values();
        lists = new TimerList[types.length];
        for (ClockType t : types) {
            lists[t.ordinal()] = new TimerList(t, clocks, notify, kind);
        }
    }

    /**
     * Creates a timer on {@code clock} (QEMU's {@code timer_new_ns}).
     *
     * @throws ContextClosedException if the group was closed
     */
    public TimerImpl newTimer(ClockType clock, String name, Runnable callback) {
        TimerList l = lists[clock.ordinal()];
        if (l.isClosed()) {
            throw new ContextClosedException(l.kind() + "s");
        }
        return l.newTimer(name, callback);
    }

    TimerList list(ClockType type) {
        return lists[type.ordinal()];
    }

    /** QEMU's {@code timerlistgroup_deadline_ns}: the soonest deadline, -1 if none. */
    public long deadlineNs() {
        long d = -1;
        for (TimerList l : lists) {
            d = Timeouts.soonest(d, l.deadlineNs());
        }
        return d;
    }

    /**
     * QEMU's {@code timerlistgroup_run_timers}: runs the expired timers of every clock, reading each
     * clock once. Home thread only.
     *
     * @param runner calls one timer's callback (and isolates what it throws)
     * @return whether a callback ran
     */
    public boolean run(TimerList.Runner runner) {
        boolean progress = false;
        for (TimerList l : lists) {
            progress |= l.run(runner);
        }
        return progress;
    }

    /** Disarms and closes every timer; arming one afterwards fails. */
    public void closeAll() {
        for (TimerList l : lists) {
            l.closeAll();
        }
    }

    List<ContextSnapshot.TimerEntry> snapshot() {
        List<ContextSnapshot.TimerEntry> out = new ArrayList<>();
        for (TimerList l : lists) {
            l.snapshot(out);
        }
        return out;
    }
}
