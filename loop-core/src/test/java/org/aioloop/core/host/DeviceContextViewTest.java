package org.aioloop.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.aioloop.api.BottomHalf;
import org.aioloop.api.ClockType;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.InvalidFdException;
import org.aioloop.api.IoEvents;
import org.aioloop.api.Timer;
import org.junit.jupiter.api.Test;

class DeviceContextViewTest {
    private final FakeContext ctx = new FakeContext("main");
    private final List<String> failures = new ArrayList<>();
    private final DeviceContextView view = new DeviceContextView("echo", ctx,
            (v, what, error) -> failures.add(what + ": " + error.getMessage()));

    @Test
    void recordsWhatTheDeviceHoldsAndForgetsWhatItReleased() {
        view.setFdHandler(12, (fd, ev) -> { }, null);
        view.setFdHandler(13, (fd, ev) -> { }, null);
        assertTrue(view.removeFdHandler(13));
        BottomHalf flush = view.newBottomHalf("flush", () -> { });
        view.newBottomHalf("kick", () -> { });
        flush.delete();
        Timer once = view.newTimer(ClockType.REALTIME, "once", () -> { });
        view.newTimer(ClockType.REALTIME, "tick", () -> { });
        once.close();

        assertEquals(List.of("fd 12", "bh 'kick'", "timer 'tick'"), view.liveResources());
        assertEquals("echo", view.deviceName());
        assertEquals("main", view.contextName());
        assertEquals("main", view.name());
    }

    @Test
    void releaseTakesBackEverythingAndNamesIt() {
        view.setFdHandler(12, (fd, ev) -> { }, null);
        BottomHalf bh = view.newBottomHalf("kick", () -> { });
        Timer tick = view.newTimer(ClockType.REALTIME, "tick", () -> { });
        tick.modIn(1, java.util.concurrent.TimeUnit.SECONDS);

        List<String> leaks = view.release();

        assertEquals(List.of("fd 12", "bh 'kick'", "timer 'tick'"), leaks);
        assertEquals(0, ctx.handlerCount());
        assertEquals(0, ctx.liveBottomHalves());
        assertEquals(0, ctx.liveTimers());
        assertTrue(bh.isDeleted());
        assertFalse(tick.isPending());
        assertTrue(view.isClosed());
        assertFalse(ctx.isClosed(), "closing the view must not close the context");
        assertEquals(List.of(), view.release(), "release is idempotent");
        assertEquals("device 'echo' leaked fd 12, bh 'kick', timer 'tick'", DeviceManager.leakMessage("echo", leaks));
    }

    @Test
    void aCleanDeviceLeaksNothing() {
        view.setFdHandler(5, (fd, ev) -> { }, (fd, ev) -> { });
        BottomHalf bh = view.newBottomHalf("b", () -> { });
        Timer t = view.newTimer(ClockType.VIRTUAL, "t", () -> { });
        view.removeFdHandler(5);
        bh.delete();
        t.close();
        assertEquals(List.of(), view.release());
    }

    @Test
    void registrationsAfterReleaseAreRefusedWithATypedError() {
        view.release();
        ContextClosedException e = assertThrows(ContextClosedException.class,
                () -> view.setFdHandler(3, (fd, ev) -> { }, null));
        assertTrue(e.getMessage().contains("device 'echo'"), e.getMessage());
        assertThrows(ContextClosedException.class, () -> view.newBottomHalf("x", () -> { }));
        assertThrows(ContextClosedException.class, () -> view.newTimer(ClockType.REALTIME, "x", () -> { }));
        assertThrows(ContextClosedException.class, () -> view.scheduleOneshot(() -> { }));
        assertEquals(0, ctx.handlerCount());
    }

    @Test
    void aRejectedRegistrationRecordsNothingAndLosesNothing() {
        view.setFdHandler(7, (fd, ev) -> { }, null);
        assertThrows(InvalidFdException.class, () -> view.setFdHandler(-1, (fd, ev) -> { }, null));
        assertThrows(InvalidFdException.class, () -> view.setFdHandler(8, null, null));
        assertEquals(List.of("fd 7"), view.liveResources());
        assertNotNull(ctx.handler(7));
    }

    @Test
    void aDeviceCannotRemoveAnotherOwnersHandler() {
        ctx.setFdHandler(40, (fd, ev) -> { }, null);
        assertFalse(view.removeFdHandler(40));
        assertNotNull(ctx.handler(40));
    }

    @Test
    void aThrowingFdCallbackIsCaughtAndTheDeviceIsIsolatedAfterItReturns() {
        AtomicInteger calls = new AtomicInteger();
        view.setFdHandler(12, (fd, ev) -> {
            calls.incrementAndGet();
            throw new IllegalStateException("boom");
        }, null);

        ctx.fire(12, IoEvents.IN); // must not throw into the context
        assertEquals(1, calls.get());
        assertFalse(view.isOpen());
        assertTrue(failures.isEmpty(), "the listener runs in a later pass, not inside the callback");

        ctx.poll(false);
        assertEquals(List.of("fd 12 read: boom"), failures);
        assertEquals("fd 12 read", view.failedCallback());
        assertEquals("boom", view.failure().getMessage());

        ctx.fire(12, IoEvents.IN);
        assertEquals(1, calls.get(), "a failed device is never called again");
        assertEquals(1, view.deviceStats().errors());
    }

    @Test
    void throwingBottomHalfTimerAndOneshotAreNamed() {
        for (String kind : List.of("bh", "timer", "oneshot")) {
            FakeContext c = new FakeContext("io1");
            AtomicReference<String> what = new AtomicReference<>();
            DeviceContextView v = new DeviceContextView("d", c, (vv, w, e) -> what.set(w));
            Runnable boom = () -> {
                throw new RuntimeException(kind);
            };
            switch (kind) {
                case "bh" -> v.newBottomHalf("flush", boom).schedule();
                case "timer" -> v.newTimer(ClockType.REALTIME, "tick", boom).modNanos(0);
                default -> v.scheduleOneshot(boom);
            }
            c.poll(false); // runs the callback
            c.poll(false); // runs the deferred isolation
            assertEquals(switch (kind) {
                case "bh" -> "bh 'flush'";
                case "timer" -> "timer 'tick'";
                default -> "one-shot";
            }, what.get());
        }
    }

    @Test
    void failReportedByTheDeviceIsolatesIt() {
        view.fail(new java.io.IOException("disk gone"));
        assertFalse(view.isOpen());
        ctx.poll(false);
        assertEquals(List.of("device reported failure: disk gone"), failures);
    }

    @Test
    void callbacksQueuedBeforeReleaseNeverRunAfterIt() {
        AtomicInteger ran = new AtomicInteger();
        view.scheduleOneshot(ran::incrementAndGet);
        view.newBottomHalf("late", ran::incrementAndGet).schedule();
        assertEquals(List.of("bh 'late'", "1 pending one-shot"), view.liveResources());
        view.release();
        ctx.poll(false);
        assertEquals(0, ran.get());
    }

    @Test
    void poolJobsAreRecordedAndCancelledOnRelease() throws Exception {
        ctx.poll(false); // the test thread becomes the home thread
        CompletableFuture<Integer> done = view.submitBlocking(() -> 42);
        CompletableFuture<Integer> queued = view.submitBlocking(() -> 43);
        assertEquals(List.of("pool job #1", "pool job #2"), view.liveResources());

        ctx.runJobs();
        ctx.poll(false);
        assertEquals(42, done.get());
        assertEquals(43, queued.get());
        assertEquals(List.of(), view.liveResources());

        CompletableFuture<Integer> left = view.submitBlocking(() -> 44);
        assertEquals(List.of("pool job #3"), view.release());
        assertTrue(left.isCancelled());
        ctx.runJobs();
        ctx.poll(false);
        assertTrue(left.isCancelled(), "a released device never sees the result");
    }

    @Test
    void countsDispatchesPerDevice() {
        BottomHalf bh = view.newBottomHalf("b", () -> { });
        for (int i = 0; i < 5; i++) {
            bh.schedule();
            ctx.poll(false);
        }
        DeviceStats s = view.deviceStats();
        assertEquals("echo", s.device());
        assertEquals(5, s.dispatches());
        assertEquals(0, s.errors());
        assertTrue(s.maxDispatchNanos() <= s.dispatchNanos());
    }

    @Test
    void errorHandlerOfTheDeviceIsToldAndTheContextsIsUntouched() {
        AtomicReference<String> told = new AtomicReference<>();
        view.setErrorHandler((c, what, e) -> told.set(c + "/" + what));
        view.newBottomHalf("b", () -> {
            throw new IllegalArgumentException("x");
        }).schedule();
        ctx.poll(false);
        assertEquals("main/device 'echo' bh 'b'", told.get());
        assertSame(ctx, view.underlying());
    }
}
