package org.aioloop.plugin.signals;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import org.aioloop.api.BottomHalf;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.device.DeviceContext;
import org.aioloop.posix.SignalFd;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The route for process-directed signals ({@code kill -TERM pid}): JVM signal handlers
 * ({@code sun.misc.Signal}) that do nothing but count the signal and schedule a bottom half on the
 * device's context, whose callback hands the signals to the device on the home thread.
 *
 * <p>Why this route exists: the kernel gives a process-directed signal to any thread that does not
 * block it. The device blocks its signals on the loop thread only (for the signalfd), and the JVM's
 * other threads do not block them, so such a signal lands in the JVM's native handler, which runs
 * the Java handler registered for it on a new thread ("SIGHUP handler"). Without this route that is
 * the JVM's {@code Terminator}: SIGHUP would end the process instead of reloading.
 *
 * <p>Life cycle, all on the home thread: {@link #open} creates the bottom half, then installs the
 * handlers and remembers the handlers they replace; {@link #close} puts those back and then closes
 * the pending counters. A signal counted before the counters close is returned by {@code close}
 * (the device acts on it); a handler that runs after they close (it was already on its way) raises
 * the signal again, so the restored handler takes it as if the device had never been there.
 * Nothing is lost and nothing is handled twice.
 *
 * <p>A signal gets no handler, with a log line, when the JVM refuses one ({@code -Xrs}: the
 * signalfd route still works for the loop thread) or when the process ignores the signal: the JVM
 * then installs nothing, so it stays ignored, as whoever started the process asked ({@code nohup}
 * ignores SIGHUP; a shell without job control starts background jobs with SIGINT ignored).
 */
final class JvmSignalRoute {
    /** Receives the signals on the home thread. */
    interface Sink {
        /**
         * @param signo a signal number
         * @param count how many arrived since the last call (coalesced; at least 1)
         */
        void onJvmSignal(int signo, int count);
    }

    private static final System.Logger LOG = System.getLogger(JvmSignalRoute.class.getName());
    private static final int CLOSED = -1;

    private final String device;
    private final int[] numbers;
    private final Signal[] signals;
    private final SignalHandler[] previous;
    private final boolean[] installed;
    // per signal: how many arrived and were not yet taken by the bottom half, or CLOSED
    private final AtomicIntegerArray pending;
    private final AtomicLong received;
    private volatile List<Integer> installedSignals = List.of();
    private final AtomicLong passedOn = new AtomicLong();
    private final Handler handler = new Handler();
    private final Sink sink;
    private volatile BottomHalf drain; // set and cleared on the home thread, read by the handlers

    private JvmSignalRoute(String device, int[] numbers, Sink sink, AtomicLong received) {
        this.device = device;
        this.numbers = numbers.clone();
        this.signals = new Signal[numbers.length];
        this.previous = new SignalHandler[numbers.length];
        this.installed = new boolean[numbers.length];
        this.pending = new AtomicIntegerArray(numbers.length);
        this.sink = sink;
        this.received = received;
    }

    /**
     * Installs the handlers. On the home thread of {@code context}.
     *
     * @param device  the device name, for the log
     * @param context where the signals are handed over
     * @param sink    what takes them there
     * @param received counts each signal the handlers take
     * @param numbers the signal numbers (TERM, INT, HUP)
     * @return the open route
     * @throws ContextClosedException  if the context is closed (nothing is installed then)
     * @throws IllegalArgumentException if a number has no JVM name here (nothing is installed then)
     */
    static JvmSignalRoute open(String device, DeviceContext context, Sink sink, AtomicLong received,
            int... numbers) {
        for (int n : numbers) {
            name(n); // every number checked before anything is installed
        }
        JvmSignalRoute route = new JvmSignalRoute(device, numbers, sink, received);
        route.drain = context.newBottomHalf("jvm-signals", route::drainPending);
        try {
            for (int i = 0; i < numbers.length; i++) {
                route.install(i);
            }
        } catch (RuntimeException | Error e) {
            route.close(); // puts back what was installed; nothing is counted yet
            throw e;
        }
        route.installedSignals = route.listInstalled();
        return route;
    }

    private void install(int i) {
        Signal sig = new Signal(name(numbers[i]));
        signals[i] = sig;
        SignalHandler old;
        try {
            old = Signal.handle(sig, handler);
        } catch (IllegalArgumentException refused) {
            // -Xrs: the JVM keeps its hands (and ours) off TERM, INT and HUP
            LOG.log(Level.WARNING, "device ''{0}'': the JVM refuses a handler for SIG{1} ({2}); a process-directed"
                    + " SIG{1} is not seen by the device", device, sig.getName(), refused.getMessage());
            return;
        }
        if (old == SignalHandler.SIG_IGN) {
            // The JVM installed nothing (an ignored HUP/INT/TERM stays ignored); undo the Java-side entry.
            Signal.handle(sig, SignalHandler.SIG_IGN);
            LOG.log(Level.INFO, "device ''{0}'': the process ignores SIG{1} (nohup, or a background job"
                    + " of a shell without job control): it stays ignored",
                    device, sig.getName());
            return;
        }
        previous[i] = old;
        installed[i] = true;
    }

    /**
     * Restores the handlers found at {@link #open} and closes the route. On the home thread.
     *
     * @return per signal number index (as given to {@code open}), the signals counted but not yet
     *         handed over; the caller acts on them
     */
    int[] close() {
        installedSignals = List.of();
        for (int i = 0; i < numbers.length; i++) {
            if (installed[i]) {
                restore(i);
            }
        }
        // Only now close the counters: a handler that finds them closed knows the old handler is
        // back, so raising the signal again reaches it.
        int[] left = new int[numbers.length];
        for (int i = 0; i < numbers.length; i++) {
            left[i] = Math.max(0, pending.getAndSet(i, CLOSED));
        }
        if (drain != null) {
            drain.delete();
            drain = null;
        }
        return left;
    }

    private void restore(int i) {
        installed[i] = false;
        try {
            SignalHandler current = Signal.handle(signals[i], previous[i]);
            if (current != handler) {
                // Someone replaced our handler after us: theirs stays, ours is not put back.
                Signal.handle(signals[i], current);
                LOG.log(Level.WARNING, "device ''{0}'': SIG{1} had been taken over by {2}; left to it",
                        device, signals[i].getName(), current);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "device ''{0}'': restoring the handler of SIG{1} failed: {2}",
                    device, signals[i].getName(), e);
        }
    }

    /**
     * What the JVM handler does, on the JVM's signal handler thread: count and schedule, or, once
     * closed, pass the signal on. Never blocks, never throws.
     *
     * @param signo the signal number
     */
    void deliver(int signo) {
        int i = indexOf(signo);
        if (i < 0) {
            return;
        }
        for (;;) {
            int n = pending.get(i);
            if (n == CLOSED) {
                passOn(i);
                return;
            }
            if (pending.compareAndSet(i, n, n == Integer.MAX_VALUE ? n : n + 1)) {
                break;
            }
        }
        received.incrementAndGet();
        BottomHalf bh = drain;
        try {
            if (bh != null) {
                bh.schedule();
            }
        } catch (ContextClosedException detaching) {
            // close() is running: it takes the count we just added
        }
    }

    private void passOn(int i) {
        passedOn.incrementAndGet();
        try {
            // the restored handler (or the default action) takes it, on this thread
            Signal.raise(signals[i]);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "device ''{0}'': SIG{1} arrived as the device detached and could not be"
                    + " passed on: {2}", device, signals[i].getName(), e.toString());
        }
    }

    /** The bottom half: hands the pending signals to the sink, on the home thread. */
    private void drainPending() {
        for (int i = 0; i < numbers.length; i++) {
            int n;
            do {
                n = pending.get(i);
                if (n <= 0) {
                    break; // none, or closed
                }
            } while (!pending.compareAndSet(i, n, 0));
            if (n > 0) {
                sink.onJvmSignal(numbers[i], n);
            }
        }
    }

    /** The name {@code sun.misc.Signal} knows a signal by. */
    static String name(int signo) {
        switch (signo) {
        case SignalFd.SIGHUP:
            return "HUP";
        case SignalFd.SIGINT:
            return "INT";
        case SignalFd.SIGTERM:
            return "TERM";
        case SignalFd.SIGUSR1:
            return "USR1";
        case SignalFd.SIGUSR2:
            return "USR2";
        default:
            throw new IllegalArgumentException("no JVM route for signal " + signo);
        }
    }

    private int indexOf(int signo) {
        for (int i = 0; i < numbers.length; i++) {
            if (numbers[i] == signo) {
                return i;
            }
        }
        return -1;
    }

    /**
     * @return the signal numbers that have a JVM handler now; any thread
     */
    List<Integer> installedSignals() {
        return installedSignals;
    }

    private List<Integer> listInstalled() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < numbers.length; i++) {
            if (installed[i]) {
                out.add(numbers[i]);
            }
        }
        return List.copyOf(out);
    }

    /**
     * @return the handler installed for the signals (for tests: what {@code Signal.handle} returns)
     */
    SignalHandler handler() {
        return handler;
    }

    /**
     * @return signals that arrived after close and were raised again for the restored handler
     */
    long passedOn() {
        return passedOn.get();
    }

    /** The one handler object for every signal; it must stay tiny. */
    private final class Handler implements SignalHandler {
        @Override
        public void handle(Signal sig) {
            try {
                deliver(sig.getNumber());
            } catch (Throwable t) { // never let anything escape into the JVM's handler thread
                LOG.log(Level.ERROR, "device ''{0}'': handling SIG{1} failed: {2}", device, sig.getName(), t);
            }
        }

        @Override
        public String toString() {
            return "aioloop signals device '" + device + "'";
        }
    }
}
