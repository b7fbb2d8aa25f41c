package org.aioloop.plugin.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.aioloop.api.device.DeviceContext;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.plugin.testkit.DeviceHarness;
import org.aioloop.posix.SignalFd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The race the JVM route must survive: signal handler threads delivering while the device detaches.
 * Each delivery must end in exactly one place: handed to the device on the home thread (by the bottom
 * half, or returned by {@code close}), or raised again for the handler that is back (the guard's).
 * Repeated, bounded rounds; the handlers are called directly, as the JVM's handler threads would.
 */
class JvmSignalRouteStressTest {
    private static final int ROUNDS = 25;
    private static final int THREADS = 3;
    /** How long a thread keeps delivering at most: detach always comes well before. */
    private static final long DELIVER_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private JvmSignalGuard guard;

    @BeforeEach
    void guard() {
        guard = new JvmSignalGuard();
    }

    @AfterEach
    void unguard() {
        guard.close();
    }

    /** A device that is nothing but the route, so the test sees its counts. */
    private static final class RouteOnly implements DeviceHandler {
        final AtomicLong received = new AtomicLong();
        final AtomicLong handedOver = new AtomicLong();
        final AtomicLong leftAtClose = new AtomicLong();
        final AtomicReference<Thread> sinkThread = new AtomicReference<>();
        volatile JvmSignalRoute route;

        @Override
        public String name() {
            return "route";
        }

        @Override
        public void attach(DeviceContext context) {
            route = JvmSignalRoute.open("route", context, (signo, count) -> {
                sinkThread.set(Thread.currentThread());
                handedOver.addAndGet(count);
            }, received, SignalFd.SIGHUP);
        }

        @Override
        public void detach(DeviceContext context) {
            for (int n : route.close()) {
                leftAtClose.addAndGet(n);
            }
        }
    }

    @Test
    void everyDeliveryRacingWithDetachEndsInExactlyOnePlace() throws Exception {
        try (DeviceHarness h = DeviceHarness.builder().name("main").build()) {
            Thread home = h.call(Thread::currentThread);
            for (int round = 0; round < ROUNDS; round++) {
                RouteOnly d = new RouteOnly();
                h.attach(d);
                JvmSignalRoute route = d.route;
                CountDownLatch go = new CountDownLatch(1);
                AtomicLong delivered = new AtomicLong();
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    Thread th = new Thread(() -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        // until one delivery has lost the race with detach, bounded in time (not in
                        // count: on a busy machine 200,000 deliveries could end before the detach)
                        long deadline = System.nanoTime() + DELIVER_LIMIT_NANOS;
                        while (route.passedOn() == 0 && System.nanoTime() - deadline < 0) {
                            route.deliver(SignalFd.SIGHUP);
                            delivered.incrementAndGet();
                        }
                    }, "deliver-" + t);
                    th.start();
                    threads.add(th);
                }
                go.countDown();
                h.await(() -> d.received.get() > 0, "round " + round + ": deliveries accepted before detach");
                assertEquals(List.of(), h.detach(d), "round " + round + ": nothing left registered");
                for (Thread th : threads) {
                    th.join(TimeUnit.SECONDS.toMillis(20));
                    assertTrue(!th.isAlive(), th.getName() + " finished");
                }
                long total = delivered.get();
                long accepted = d.received.get();
                assertEquals(total, accepted + route.passedOn(), "round " + round + ": each delivery counted or passed on");
                assertEquals(accepted, h.call(() -> d.handedOver.get() + d.leftAtClose.get()),
                        "round " + round + ": each accepted signal handed over exactly once");
                if (d.handedOver.get() > 0) {
                    assertSame(home, d.sinkThread.get());
                }
                // The signals raised again reach whatever handler is installed when the JVM
                // dispatches them: wait for them before the next round installs a route again.
                int passedOn = (int) route.passedOn();
                assertTrue(passedOn >= 1 && passedOn <= THREADS, "round " + round + ": " + passedOn
                        + " lost the race (each thread stops at the first it sees)");
                assertTrue(guard.handler("HUP").await(passedOn, 10), "round " + round + ": " + passedOn
                        + " passed on reached the handler put back");
                assertEquals(0, guard.handler("HUP").taken.availablePermits(), "round " + round + ": and no more");
                assertSame(guard.handler("HUP"), JvmSignalGuard.current("HUP"), "round " + round + ": handler back");
            }
        }
    }

    @Test
    void aHandlerThatThrowsNothingEvenForAnUnknownSignal() throws Exception {
        try (DeviceHarness h = DeviceHarness.builder().name("main").build()) {
            RouteOnly d = new RouteOnly();
            h.attach(d);
            d.route.deliver(SignalFd.SIGUSR1); // not one of its signals: ignored
            d.route.handler().handle(new sun.misc.Signal("HUP"));
            h.await(() -> d.handedOver.get() == 1, "the HUP handed over");
            assertEquals(1, d.received.get());
            assertEquals(List.of(), h.detach(d));
        }
    }

    @Test
    void aSignalWithoutAJvmNameIsRefusedBeforeAnythingIsInstalled() {
        try (DeviceHarness h = DeviceHarness.builder().name("main").build()) {
            DeviceHandler bad = new DeviceHandler() {
                @Override
                public String name() {
                    return "bad";
                }

                @Override
                public void attach(DeviceContext context) {
                    JvmSignalRoute.open("bad", context, (s, n) -> { }, new AtomicLong(), SignalFd.SIGHUP, 9);
                }

                @Override
                public void detach(DeviceContext context) {
                }
            };
            org.aioloop.api.AioException e = org.junit.jupiter.api.Assertions.assertThrows(
                    org.aioloop.api.AioException.class, () -> h.attach(bad));
            assertTrue(e.getCause() instanceof IllegalArgumentException, e.toString());
            assertTrue(e.getCause().getMessage().contains("9"), e.getCause().getMessage());
            assertSame(guard.handler("HUP"), JvmSignalGuard.current("HUP"), "HUP untouched");
        }
    }
}
