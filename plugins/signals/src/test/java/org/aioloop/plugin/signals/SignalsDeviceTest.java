package org.aioloop.plugin.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.aioloop.plugin.testkit.DeviceHarness;
import org.aioloop.plugin.testkit.FdLeakCheck;
import org.aioloop.posix.SignalFd;
import org.junit.jupiter.api.Test;

/**
 * Signals sent to the loop thread itself ({@code raise} there) arrive through the signalfd: the
 * path the device relies on. Process-directed signals are not sent: in a JVM another thread would
 * take them (see {@link SignalsDevice}).
 */
class SignalsDeviceTest {
    private final AtomicInteger reloads = new AtomicInteger();
    private final CountDownLatch shutdowns = new CountDownLatch(2);

    private final SignalActions actions = new SignalActions() {
        @Override
        public void shutdown() {
            shutdowns.countDown();
        }

        @Override
        public void reload() {
            reloads.incrementAndGet();
        }
    };

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
            assertTrue(shutdowns.await(10, TimeUnit.SECONDS), "TERM and INT asked for shutdown");
            assertEquals(1, h.call(reloads::get), "HUP asked for a reload");
            assertEquals(3, d.received());

            assertEquals(List.of(), h.detach(d));
            assertFalse(h.call(() -> SignalFd.isBlockedOnCurrentThread(SignalFd.SIGTERM)), "mask restored");
        }
        fds.assertNoLeak(); // the signalfd and the context's fds are closed
    }
}
