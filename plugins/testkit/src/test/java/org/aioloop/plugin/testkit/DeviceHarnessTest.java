package org.aioloop.plugin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.aioloop.api.AioException;
import org.aioloop.api.BottomHalf;
import org.aioloop.api.ClockType;
import org.aioloop.api.device.DeviceContext;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.core.ManualClockSource;
import org.junit.jupiter.api.Test;

/**
 * The harness does what the host does: attach and detach on the home thread, leak reports, and
 * isolation of a device whose callback throws.
 */
class DeviceHarnessTest {
    /** A device whose attach and detach are given as lambdas. */
    private static final class LambdaDevice implements DeviceHandler {
        private final String name;
        private final Consumer<DeviceContext> onAttach;
        private final Consumer<DeviceContext> onDetach;
        final AtomicInteger detaches = new AtomicInteger();

        LambdaDevice(String name, Consumer<DeviceContext> onAttach, Consumer<DeviceContext> onDetach) {
            this.name = name;
            this.onAttach = onAttach;
            this.onDetach = onDetach;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void attach(DeviceContext context) {
            onAttach.accept(context);
        }

        @Override
        public void detach(DeviceContext context) {
            detaches.incrementAndGet();
            onDetach.accept(context);
        }
    }

    @Test
    void detachReportsWhatTheDeviceForgot() {
        ManualClockSource clock = new ManualClockSource();
        LambdaDevice leaky = new LambdaDevice("leaky",
                ctx -> ctx.newTimer(ClockType.REALTIME, "forgotten", () -> { }).modIn(1, TimeUnit.SECONDS),
                ctx -> { });
        try (DeviceHarness h = DeviceHarness.builder().clocks(clock).threaded(false).build()) {
            h.attach(leaky);
            List<String> leaks = h.detach(leaky);
            assertEquals(1, leaks.size(), leaks.toString());
            assertTrue(leaks.get(0).contains("forgotten"), leaks.toString());
            assertFalse(h.isAttached(leaky));
        }
    }

    @Test
    void attachThatThrowsIsReportedAndReleased() {
        LambdaDevice broken = new LambdaDevice("broken", ctx -> {
            ctx.newBottomHalf("orphan", () -> { });
            throw new IllegalStateException("no hardware");
        }, ctx -> { });
        try (DeviceHarness h = DeviceHarness.builder().build()) {
            AioException e = assertThrows(AioException.class, () -> h.attach(broken));
            assertTrue(e.getMessage().contains("broken") && e.getMessage().contains("no hardware"), e.getMessage());
            assertFalse(h.isAttached(broken));
        }
    }

    @Test
    void aThrowingCallbackIsolatesTheDeviceAndTheLoopGoesOn() throws Exception {
        BottomHalf[] bh = new BottomHalf[1];
        LambdaDevice faulty = new LambdaDevice("faulty",
                ctx -> bh[0] = ctx.newBottomHalf("boom", () -> {
                    throw new IllegalArgumentException("bad state");
                }),
                ctx -> { });
        AtomicInteger healthyRuns = new AtomicInteger();
        LambdaDevice healthy = new LambdaDevice("healthy",
                ctx -> ctx.newTimer(ClockType.REALTIME, "t", healthyRuns::incrementAndGet).modIn(0, TimeUnit.NANOSECONDS),
                ctx -> { });
        try (DeviceHarness h = DeviceHarness.builder().build()) {
            h.attach(faulty);
            h.attach(healthy);
            bh[0].schedule();
            h.await(() -> !h.isAttached(faulty), "the faulty device to be isolated");
            assertNotNull(h.failure("faulty"));
            assertEquals(1, faulty.detaches.get(), "detach was called once");
            assertTrue(h.isAttached(healthy));
            assertEquals(1, (int) h.call(healthyRuns::get), "the other device still ran");
        }
    }

    @Test
    void callRunsOnTheHomeThreadAndPassesExceptionsThrough() {
        try (DeviceHarness h = DeviceHarness.builder().build()) {
            assertTrue(h.call(() -> h.context().inHomeThread()));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.run(() -> {
                throw new IllegalStateException("inside");
            }));
            assertEquals("inside", e.getMessage());
        }
    }

    @Test
    void closeLeavesNoFdBehind() {
        FdLeakCheck fds = FdLeakCheck.start();
        for (int i = 0; i < 5; i++) {
            try (DeviceHarness h = DeviceHarness.builder().build()) {
                h.run(() -> { });
            }
        }
        fds.assertNoLeak();
    }
}
