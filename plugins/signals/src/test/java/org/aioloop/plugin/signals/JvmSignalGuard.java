package org.aioloop.plugin.signals;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The tests' safety net: while installed, TERM, INT and HUP reach a counting handler instead of the
 * JVM's (which would end surefire's fork). The device finds these as the handlers it replaces, so a
 * test can also check that detach puts exactly them back. {@link #close()} restores the JVM's own.
 */
final class JvmSignalGuard implements AutoCloseable {
    static final String[] NAMES = {"TERM", "INT", "HUP"};

    /** Counts the signals it takes, per signal. */
    static final class Counting implements SignalHandler {
        final Semaphore taken = new Semaphore(0);

        @Override
        public void handle(Signal sig) {
            taken.release();
        }

        boolean await(int permits, long seconds) throws InterruptedException {
            return taken.tryAcquire(permits, seconds, TimeUnit.SECONDS);
        }
    }

    final Counting[] handlers = new Counting[NAMES.length];
    private final SignalHandler[] original = new SignalHandler[NAMES.length];

    JvmSignalGuard() {
        for (int i = 0; i < NAMES.length; i++) {
            handlers[i] = new Counting();
            original[i] = Signal.handle(new Signal(NAMES[i]), handlers[i]);
        }
    }

    /**
     * @param name TERM, INT or HUP
     * @return its counting handler
     */
    Counting handler(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return handlers[i];
            }
        }
        throw new IllegalArgumentException(name);
    }

    /**
     * What is installed for a signal now, read without changing it.
     *
     * @param name TERM, INT or HUP
     * @return the handler
     */
    static SignalHandler current(String name) {
        Signal sig = new Signal(name);
        SignalHandler probe = s -> { };
        SignalHandler now = Signal.handle(sig, probe);
        Signal.handle(sig, now);
        return now;
    }

    @Override
    public void close() {
        for (int i = 0; i < NAMES.length; i++) {
            Signal.handle(new Signal(NAMES[i]), original[i]);
        }
    }
}
