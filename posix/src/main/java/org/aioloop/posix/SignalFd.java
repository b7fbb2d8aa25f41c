package org.aioloop.posix;

import com.sun.jna.Native;
import java.util.Arrays;
import org.aioloop.api.ContextClosedException;

/**
 * Signals as a readable fd: blocks the given signals on the <em>calling thread</em>
 * ({@code pthread_sigmask(SIG_BLOCK)}) and opens a non-blocking, close-on-exec {@code signalfd}
 * for them. Each {@link #read()} takes one {@code struct signalfd_siginfo} (128 bytes, read into a
 * preallocated buffer) and returns its {@code ssi_signo}.
 *
 * <h2>What works in a JVM</h2>
 * A signalfd reports the signals pending for the thread that reads it plus those pending for the
 * process. The kernel delivers a process-directed signal (e.g. {@code kill -TERM pid}) to
 * <em>any</em> thread that does not block it, and a JVM has many threads that Java code cannot
 * reach (GC, compiler, signal dispatcher) with the signals unblocked. So:
 * <ul>
 * <li>Reliable: signals directed at the blocking thread ({@code tgkill}, {@link #raiseOnCurrentThread}),
 *     and process-directed signals when <em>every</em> thread blocks them (possible only if the
 *     launcher blocks them before the JVM starts threads).</li>
 * <li>Not reliable: {@code kill -TERM/-INT/-HUP pid} on a normal JVM. One of the other threads
 *     takes it and the JVM's own handler runs (shutdown hooks for TERM/INT/HUP). With {@code -Xrs}
 *     the JVM installs no handler and the default action (termination) applies instead. For those,
 *     use a shutdown hook or {@code sun.misc.Signal} and forward to the loop with an
 *     {@link org.aioloop.api.EventNotifier}.</li>
 * </ul>
 * Blocking is per thread and is not undone by {@link #close()}; call {@link #unblockOnCurrentThread}
 * on the same thread to restore it. Read and close on one thread; not thread-safe.
 */
public final class SignalFd implements AutoCloseable {
    /** {@code SIGHUP}. */
    public static final int SIGHUP = 1;
    /** {@code SIGINT}. */
    public static final int SIGINT = 2;
    /** {@code SIGUSR1}. */
    public static final int SIGUSR1 = 10;
    /** {@code SIGUSR2}. */
    public static final int SIGUSR2 = 12;
    /** {@code SIGTERM}. */
    public static final int SIGTERM = 15;
    /** {@code sizeof(struct signalfd_siginfo)}. */
    public static final int SIGINFO_SIZE = 128;
    /** Offset of {@code ssi_signo} in {@code struct signalfd_siginfo}. */
    public static final int SSI_SIGNO_OFFSET = 0;
    /** Offset of {@code ssi_pid} in {@code struct signalfd_siginfo}. */
    public static final int SSI_PID_OFFSET = 12;

    private static final int SIG_BLOCK = 0;
    private static final int SIG_UNBLOCK = 1;
    private static final int SIGSET_BYTES = 128;
    private static final int SFD_NONBLOCK = Posix.O_NONBLOCK;
    private static final int SFD_CLOEXEC = Posix.O_CLOEXEC;

    private final int fd;
    private final int[] signals;
    private final NativeBuffer siginfo = NativeBuffer.allocate(SIGINFO_SIZE);
    private boolean closed;

    private SignalFd(int fd, int[] signals) {
        this.fd = fd;
        this.signals = signals;
    }

    /**
     * Blocks {@code signals} on the calling thread and opens a signalfd for them.
     *
     * @param signals signal numbers, e.g. {@link #SIGTERM}, {@link #SIGINT}, {@link #SIGHUP}
     * @return the signalfd
     * @throws IllegalArgumentException if a number is outside 1..64 or none is given
     */
    public static SignalFd open(int... signals) {
        int[] sigs = signals.clone();
        try (NativeBuffer set = sigset(sigs)) {
            int err = LibC.pthread_sigmask(SIG_BLOCK, set.address(), 0);
            if (err != 0) {
                throw Errno.exception("pthread_sigmask(SIG_BLOCK)", err, -1);
            }
            int fd = LibC.signalfd(-1, set.address(), SFD_NONBLOCK | SFD_CLOEXEC);
            if (fd < 0) {
                throw Errno.exception("signalfd", Native.getLastError(), -1);
            }
            return new SignalFd(fd, sigs);
        }
    }

    /**
     * Unblocks {@code signals} on the calling thread.
     *
     * @param signals signal numbers
     */
    public static void unblockOnCurrentThread(int... signals) {
        try (NativeBuffer set = sigset(signals)) {
            int err = LibC.pthread_sigmask(SIG_UNBLOCK, set.address(), 0);
            if (err != 0) {
                throw Errno.exception("pthread_sigmask(SIG_UNBLOCK)", err, -1);
            }
        }
    }

    /**
     * @param signo a signal number
     * @return whether the calling thread blocks it
     */
    public static boolean isBlockedOnCurrentThread(int signo) {
        checkSignal(signo);
        try (NativeBuffer current = NativeBuffer.allocate(SIGSET_BYTES)) {
            int err = LibC.pthread_sigmask(SIG_BLOCK, 0, current.address());
            if (err != 0) {
                throw Errno.exception("pthread_sigmask(query)", err, -1);
            }
            int bit = signo - 1;
            return (current.getLong((bit / 64) * 8) & (1L << (bit % 64))) != 0;
        }
    }

    /**
     * Sends {@code signo} to the calling thread ({@code raise(3)}); for tests. Only call it for a
     * signal the thread blocks, or the default action (often termination) applies.
     *
     * @param signo a signal number
     */
    public static void raiseOnCurrentThread(int signo) {
        checkSignal(signo);
        if (LibC.raise(signo) != 0) {
            throw Errno.exception("raise(" + signo + ")", Native.getLastError(), -1);
        }
    }

    /**
     * @return the signalfd, to monitor for IN
     */
    public int fd() {
        return fd;
    }

    /**
     * Reads one pending signal.
     *
     * @return its number, or 0 if none is pending
     * @throws ContextClosedException if closed
     */
    public int read() {
        if (closed) {
            throw new ContextClosedException("signalfd " + fd);
        }
        long n = Posix.read(fd, siginfo.address(), SIGINFO_SIZE);
        return n == SIGINFO_SIZE ? siginfo.getInt(SSI_SIGNO_OFFSET) : 0;
    }

    /**
     * @return the sender pid of the signal last returned by {@link #read()}
     */
    public int lastSenderPid() {
        return siginfo.getInt(SSI_PID_OFFSET);
    }

    /**
     * @return a copy of the signal numbers this fd reports
     */
    public int[] signals() {
        return signals.clone();
    }

    /** Closes the fd (the signals stay blocked on the opening thread); idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                Posix.close(fd);
            } finally {
                siginfo.close();
            }
        }
    }

    @Override
    public String toString() {
        return "SignalFd[" + fd + ", " + Arrays.toString(signals) + (closed ? ", closed]" : "]");
    }

    /** Builds a {@code sigset_t}: bit {@code signo - 1} of an array of 64-bit words. */
    private static NativeBuffer sigset(int[] signals) {
        if (signals.length == 0) {
            throw new IllegalArgumentException("no signals given");
        }
        for (int s : signals) {
            checkSignal(s);
        }
        NativeBuffer set = NativeBuffer.allocate(SIGSET_BYTES);
        for (int s : signals) {
            int bit = s - 1;
            int off = (bit / 64) * 8;
            set.putLong(off, set.getLong(off) | (1L << (bit % 64)));
        }
        return set;
    }

    private static void checkSignal(int signo) {
        if (signo < 1 || signo > 64) {
            throw new IllegalArgumentException("signal number must be in 1..64: " + signo);
        }
    }
}
