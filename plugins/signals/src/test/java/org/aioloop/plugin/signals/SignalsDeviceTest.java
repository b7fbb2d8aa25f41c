package org.aioloop.plugin.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.aioloop.plugin.testkit.DeviceHarness;
import org.aioloop.plugin.testkit.FdLeakCheck;
import org.aioloop.posix.SignalFd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import sun.misc.Signal;

/**
 * Both routes into the device, with real signals:
 * <ul>
 * <li>signalfd: signals raised on the loop thread itself (as {@code tgkill} to it would be);</li>
 * <li>JVM handlers: {@code kill -s HUP <pid>} from outside (process-directed), and a signal raised on
 *     a test thread (which does not block it, so only the JVM handler can take it).</li>
 * </ul>
 * Every test runs inside a {@link JvmSignalGuard}: TERM, INT and HUP never reach the JVM's own
 * handler (which would end the fork), even if the device is broken; a broken device fails the test.
 */
class SignalsDeviceTest {
    private static final long WAIT_S = 10;

    private final AtomicInteger reloads = new AtomicInteger();
    private final AtomicInteger shutdownCalls = new AtomicInteger();
    private final CountDownLatch firstReload = new CountDownLatch(1);
    private final AtomicReference<Thread> actionThread = new AtomicReference<>();
    private JvmSignalGuard guard;

    private final SignalActions actions = new SignalActions() {
        @Override
        public void shutdown() {
            actionThread.set(Thread.currentThread());
            shutdownCalls.incrementAndGet();
        }

        @Override
        public void reload() {
            actionThread.set(Thread.currentThread());
            reloads.incrementAndGet();
            firstReload.countDown();
        }
    };

    @BeforeEach
    void guard() {
        guard = new JvmSignalGuard();
    }

    @AfterEach
    void unguard() {
        guard.close();
    }

    @Test
    void hupReloadsAndTermAndIntShutDownThenDetachRestoresTheThread() throws Exception {
        FdLeakCheck fds = FdLeakCheck.start();
        try (DeviceHarness h = DeviceHarness.builder().name("main").build()) {
            SignalsDevice d = new SignalsDevice("signals", actions);
            h.attach(d);
            assertTrue(h.call(() -> SignalFd.isBlockedOnCurrentThread(SignalFd.SIGHUP)), "blocked on the loop thread");
            assertFalse(SignalFd.isBlockedOnCurrentThread(SignalFd.SIGHUP), "and only there");

            h.run(() -> SignalFd.raiseOnCurrentThread(SignalFd.SIGHUP));
            h.run(() -> SignalFd.raiseOnCurrentThread(SignalFd.SIGTERM));
            h.run(() -> SignalFd.raiseOnCurrentThread(SignalFd.SIGINT));
            h.await(() -> shutdownCalls.get() == 2, "TERM and INT asked for shutdown");
            assertEquals(1, h.call(reloads::get), "HUP asked for a reload");
            assertEquals(3, d.receivedBySignalFd());
            assertEquals(0, d.receivedByJvm(), "nothing went through the JVM handlers");
            assertEquals(3, d.received());

            assertEquals(List.of(), h.detach(d));
            assertFalse(h.call(() -> SignalFd.isBlockedOnCurrentThread(SignalFd.SIGTERM)), "mask restored");
        }
        fds.assertNoLeak(); // the signalfd and the context's fds are closed
    }

    @Test
    void aProcessDirectedHupReloadsOnceOnTheHomeThreadAndTheJvmLivesOn() throws Exception {
        try (DeviceHarness h = DeviceHarness.builder().name("main").build()) {
            SignalsDevice d = new SignalsDevice("signals", actions);
            h.attach(d);
            assertEquals(List.of(SignalFd.SIGTERM, SignalFd.SIGINT, SignalFd.SIGHUP), d.jvmHandledSignals());
            Thread home = h.call(Thread::currentThread);

            kill("HUP");
            assertTrue(firstReload.await(WAIT_S, TimeUnit.SECONDS), "kill -HUP reloaded");
            h.run(() -> { }); // one more pass: a second reload would have run by now
            assertEquals(1, reloads.get(), "exactly once");
            assertSame(home, actionThread.get(), "on the home thread");
            assertEquals(1, d.received(), "one signal, by one route");
            assertEquals(0, shutdownCalls.get());
            assertEquals(0, guard.handler("HUP").taken.availablePermits(), "the previous handler saw nothing");
            assertFalse(h.context().isClosed(), "the loop runs on");
            assertTrue(h.isAttached(d));
            assertEquals(List.of(), h.detach(d), "the bottom half is the device's to delete");
        }
    }

    @Test
    void processDirectedTermAndIntAskForShutdownOnTheHomeThread() throws Exception {
        try (DeviceHarness h = DeviceHarness.builder().name("main").build()) {
            SignalsDevice d = new SignalsDevice("signals", actions);
            h.attach(d);
            Thread home = h.call(Thread::currentThread);
            kill("TERM");
            h.await(() -> shutdownCalls.get() == 1, "kill -TERM asked for shutdown");
            kill("INT");
            h.await(() -> shutdownCalls.get() == 2, "kill -INT asked for shutdown");
            assertSame(home, actionThread.get());
            assertEquals(2, d.received());
            assertEquals(0, guard.handler("TERM").taken.availablePermits());
            assertEquals(0, guard.handler("INT").taken.availablePermits());
            assertEquals(List.of(), h.detach(d));
        }
    }

    @Test
    void aSignalOnAThreadThatDoesNotBlockItGoesThroughTheJvmHandler() throws Exception {
        try (DeviceHarness h = DeviceHarness.builder().name("main").build()) {
            SignalsDevice d = new SignalsDevice("signals", actions);
            h.attach(d);
            // raise(3) on this (test) thread: only the JVM's handler can take it, never the signalfd
            Signal.raise(new Signal("HUP"));
            assertTrue(firstReload.await(WAIT_S, TimeUnit.SECONDS));
            assertEquals(1, d.receivedByJvm());
            assertEquals(0, d.receivedBySignalFd());
            assertSame(h.call(Thread::currentThread), actionThread.get());
            assertEquals(List.of(), h.detach(d));
        }
    }

    @Test
    void detachPutsBackTheHandlersItReplacedAndTheyTakeTheNextSignal() throws Exception {
        try (DeviceHarness h = DeviceHarness.builder().name("main").build()) {
            SignalsDevice d = new SignalsDevice("signals", actions);
            h.attach(d);
            for (String name : JvmSignalGuard.NAMES) {
                assertFalse(JvmSignalGuard.current(name) == guard.handler(name), name + " is the device's now");
            }
            assertEquals(List.of(), h.detach(d));
            assertEquals(List.of(), d.jvmHandledSignals());
            for (String name : JvmSignalGuard.NAMES) {
                assertSame(guard.handler(name), JvmSignalGuard.current(name), name + " is back with its previous handler");
            }
            // by behaviour too (safe: the guard, not the JVM, has HUP)
            kill("HUP");
            assertTrue(guard.handler("HUP").await(1, WAIT_S), "the previous handler took the HUP");
            assertEquals(0, reloads.get(), "a detached device does nothing");
            assertEquals(0, d.received());
        }
    }

    @Test
    void attachAndDetachAgainReinstallEachTime() throws Exception {
        try (DeviceHarness h = DeviceHarness.builder().name("main").build()) {
            SignalsDevice d = new SignalsDevice("signals", actions);
            for (int round = 1; round <= 3; round++) {
                h.attach(d);
                kill("HUP");
                int expected = round;
                h.await(() -> reloads.get() == expected, "reload " + round);
                assertEquals(List.of(), h.detach(d));
                assertSame(guard.handler("HUP"), JvmSignalGuard.current("HUP"));
            }
            assertEquals(3, d.received());
        }
    }

    /** {@code kill -s NAME <this pid>}: a process-directed signal, from another process. */
    static void kill(String name) throws Exception {
        Process p = new ProcessBuilder("kill", "-s", name, Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(WAIT_S, TimeUnit.SECONDS), "kill ran");
        assertEquals(0, p.exitValue(), () -> "kill -s " + name + ": " + output(p));
    }

    private static String output(Process p) {
        try {
            return new String(p.getInputStream().readAllBytes());
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
