package org.aioloop.core.aio;

import java.util.ArrayList;
import java.util.List;
import org.aioloop.api.ClockSource;
import org.aioloop.api.ClockType;
import org.aioloop.api.ContextSnapshot;

/**
 * One timer list per clock (QEMU's {@code QEMUTimerListGroup}); the context's deadline is the
 * soonest of them.
 */
final class TimerListGroup {
    private final TimerList[] lists;

    TimerListGroup(ClockSource clocks, Runnable notify) {
        ClockType[] types = ClockType.values();
        lists = new TimerList[types.length];
        for (ClockType t : types) {
            lists[t.ordinal()] = new TimerList(t, clocks, notify);
        }
    }

    TimerList list(ClockType type) {
        return lists[type.ordinal()];
    }

    /** QEMU's {@code timerlistgroup_deadline_ns}: the soonest deadline, -1 if none. */
    long deadlineNs() {
        long d = -1;
        for (TimerList l : lists) {
            d = Timeouts.soonest(d, l.deadlineNs());
        }
        return d;
    }

    /** QEMU's {@code timerlistgroup_run_timers}. */
    boolean run(TimerList.Runner runner) {
        boolean progress = false;
        for (TimerList l : lists) {
            progress |= l.run(runner);
        }
        return progress;
    }

    void closeAll() {
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
