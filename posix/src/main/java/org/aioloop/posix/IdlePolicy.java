package org.aioloop.posix;

import com.sun.jna.Native;

/**
 * Puts the calling thread under Linux's {@code SCHED_IDLE} policy ({@code sched_setscheduler} with
 * pid 0, "the calling thread"). Such a thread runs only on CPU time that normal threads leave, and
 * the scheduler preempts it as soon as a normal thread wakes on its CPU: unlike a high nice value,
 * which under EEVDF may still finish its slice (milliseconds) before a waking loop gets the core.
 * For helper threads doing bulk kernel work next to a loop, e.g. filling a new monitor with
 * 10,000 fds. No privilege is needed to lower a thread this way.
 */
public final class IdlePolicy {
    /** {@code SCHED_IDLE}. */
    public static final int SCHED_IDLE = 5;

    private IdlePolicy() {
    }

    /**
     * Moves the calling thread to {@code SCHED_IDLE}.
     *
     * @throws org.aioloop.api.NativeCallException if the kernel refuses
     */
    public static void applyToCurrentThread() {
        try (NativeBuffer param = NativeBuffer.allocate(8)) { // struct sched_param { int sched_priority; } = 0
            if (LibC.sched_setscheduler(0, SCHED_IDLE, param.address()) != 0) {
                throw Errno.exception("sched_setscheduler(SCHED_IDLE)", Native.getLastError(), -1);
            }
        }
    }

    /**
     * @return whether the calling thread runs under {@code SCHED_IDLE}
     */
    public static boolean isCurrentThreadIdle() {
        int policy = LibC.sched_getscheduler(0);
        if (policy < 0) {
            throw Errno.exception("sched_getscheduler", Native.getLastError(), -1);
        }
        return policy == SCHED_IDLE;
    }
}
