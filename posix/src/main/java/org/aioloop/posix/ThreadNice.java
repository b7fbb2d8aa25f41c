package org.aioloop.posix;

import com.sun.jna.Native;

/**
 * The nice value of the calling thread ({@code setpriority(PRIO_PROCESS, gettid(), n)}: on Linux a
 * nice value belongs to a thread, not to the whole process). Helper threads that do bulk kernel
 * work next to a loop (filling a new monitor with 10,000 fds, closing an old one) lower themselves
 * to {@link #LOWEST}: under EEVDF a nice-19 thread reaches its fair share after a few dozen
 * microseconds of running, so a loop that wakes on its core preempts it almost at once, while it
 * still gets about 1.5 % of a busy core and so always finishes (unlike {@code SCHED_IDLE}, which a
 * loop spinning on every core could starve). Lowering a thread needs no privilege; raising it does.
 */
public final class ThreadNice {
    /** The lowest priority. */
    public static final int LOWEST = 19;

    private static final int PRIO_PROCESS = 0;

    private ThreadNice() {
    }

    /**
     * Sets the calling thread's nice value.
     *
     * @param nice -20 (highest) to 19 (lowest)
     * @throws IllegalArgumentException if {@code nice} is out of range
     * @throws org.aioloop.api.NativeCallException with {@code EACCES} when raising the priority
     *                                             without the privilege to
     */
    public static void setCurrentThread(int nice) {
        if (nice < -20 || nice > LOWEST) {
            throw new IllegalArgumentException("nice must be in [-20, 19]: " + nice);
        }
        if (LibC.setpriority(PRIO_PROCESS, LibC.gettid(), nice) != 0) {
            throw Errno.exception("setpriority(" + nice + ")", Native.getLastError(), -1);
        }
    }

    /**
     * @return the calling thread's nice value
     */
    public static int currentThread() {
        // getpriority returns the nice value itself, so -1 is also a valid result: check errno.
        Native.setLastError(0);
        int n = LibC.getpriority(PRIO_PROCESS, LibC.gettid());
        int errno = Native.getLastError();
        if (n == -1 && errno != 0) {
            throw Errno.exception("getpriority", errno, -1);
        }
        return n;
    }
}
