package org.aioloop.core.aio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.aioloop.api.BottomHalf;
import org.aioloop.api.ClockType;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.ContextSnapshot;
import org.aioloop.api.EventNotifier;
import org.aioloop.api.InvalidFdException;
import org.aioloop.api.IoEvents;
import org.aioloop.api.Timer;
import org.aioloop.api.WrongThreadException;
import org.aioloop.core.ManualClockSource;
import org.aioloop.posix.EventNotifiers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The AioContext on both real backends (QEMU test-aio.c behaviour where it applies). */
class AioContextTest {
    private static final String BACKENDS = "org.aioloop.core.aio.Contexts#backends";

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void progressValues(String backend) { // L5: every value aio_poll can return
        ManualClockSource clock = new ManualClockSource();
        try (AioContextImpl ctx = Contexts.open(backend, clock); TestPipe p = new TestPipe()) {
            assertFalse(ctx.poll(false), "nothing to do");
            ctx.kick();
            assertFalse(ctx.poll(true), "woken by a kick only: no progress, and it did not block");

            BottomHalf bh = ctx.newBottomHalf("bh", () -> { });
            bh.schedule();
            assertTrue(ctx.poll(false), "a non-idle BH ran");
            bh.scheduleIdle();
            assertFalse(ctx.poll(true), "an idle BH runs but is no progress");
            bh.schedule();
            bh.cancel();
            assertFalse(ctx.poll(false), "a cancelled BH is no progress");
            bh.schedule();
            bh.delete();
            assertFalse(ctx.poll(false), "a deleted BH is no progress");

            AtomicInteger reads = new AtomicInteger();
            ctx.setFdHandler(p.rfd, (fd, ev) -> {
                reads.incrementAndGet();
                p.drain();
            }, null);
            assertFalse(ctx.poll(true), "registration kicks the loop; no progress");
            p.write(1);
            assertTrue(ctx.poll(true), "an fd handler ran");
            assertEquals(1, reads.get());

            Timer t = ctx.newTimer(ClockType.REALTIME, "t", () -> { });
            t.modNanos(clock.nanos(ClockType.REALTIME) + 5);
            assertFalse(ctx.poll(false), "timer not due");
            clock.advance(5);
            assertTrue(ctx.poll(false), "a timer ran");

            // Force a real eventfd write: bit 0 of notify_me set (source prepare), then a kick.
            long writes = ctx.stats().wakeupWrites();
            ctx.sourcePrepare();
            ctx.kick();
            ctx.sourceCheck();
            assertEquals(writes + 1, ctx.stats().wakeupWrites(), "the kick wrote the eventfd");
            assertFalse(ctx.poll(false), "the context's own notifier is never progress");
            assertFalse(ctx.poll(false));
            ctx.removeFdHandler(p.rfd);
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void eventNotifierSetWaitFlush(String backend) { // QEMU /aio/event/{add-remove,wait,flush}
        try (AioContextImpl ctx = Contexts.open(backend); EventNotifier e = EventNotifiers.create()) {
            AtomicInteger n = new AtomicInteger();
            ctx.setEventNotifier(e, (fd, ev) -> {
                if (e.testAndClear()) {
                    n.incrementAndGet();
                }
            });
            assertFalse(ctx.poll(false));
            assertEquals(0, n.get());
            e.set();
            e.set();
            assertTrue(ctx.poll(false));
            assertEquals(1, n.get(), "sets coalesce");
            assertFalse(ctx.poll(false), "drained");
            e.set();
            assertTrue(ctx.poll(true), "a blocking wait returns for the notifier");
            assertEquals(2, n.get());
            // flush: keep polling while progress
            for (int i = 0; i < 10; i++) {
                e.set();
            }
            while (ctx.poll(false)) {
                // flush
            }
            assertEquals(3, n.get());
            assertTrue(ctx.removeEventNotifier(e));
            e.set();
            assertFalse(ctx.poll(false), "detached");
            assertEquals(3, n.get());
            assertFalse(ctx.removeEventNotifier(e), "unknown fd: no-op");
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void levelTriggeredAndReadWriteBothRun(String backend) {
        try (AioContextImpl ctx = Contexts.open(backend); TestPipe p = new TestPipe()) {
            AtomicInteger reads = new AtomicInteger();
            List<String> order = new ArrayList<>();
            ctx.setFdHandler(p.rfd, (fd, ev) -> reads.incrementAndGet(), null);
            p.write(10);
            for (int i = 1; i <= 3; i++) {
                assertTrue(ctx.poll(false));
                assertEquals(i, reads.get(), "fires on every pass while the fd stays ready");
            }
            p.drain();
            assertFalse(ctx.poll(false));
            assertEquals(3, reads.get());
            // A writable pipe end with both callbacks: only write runs (no IN on the write end).
            AtomicInteger writes = new AtomicInteger();
            ctx.setFdHandler(p.wfd, (fd, ev) -> order.add("read"), (fd, ev) -> {
                order.add("write");
                assertTrue((ev & IoEvents.OUT) != 0);
                writes.incrementAndGet();
            });
            assertTrue(ctx.poll(false));
            assertEquals(List.of("write"), order);
            assertTrue(ctx.removeFdHandler(p.wfd));
            assertTrue(ctx.removeFdHandler(p.rfd));
            assertFalse(ctx.removeFdHandler(p.rfd));
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void handlerDeletedDuringDispatchIsNeverCalled(String backend) {
        try (AioContextImpl ctx = Contexts.open(backend); TestPipe a = new TestPipe(); TestPipe b = new TestPipe()) {
            AtomicInteger ca = new AtomicInteger();
            AtomicInteger cb = new AtomicInteger();
            // Each removes the other: whichever runs first, the other must not run in this pass or later.
            ctx.setFdHandler(a.rfd, (fd, ev) -> {
                ca.incrementAndGet();
                ctx.removeFdHandler(b.rfd);
            }, null);
            ctx.setFdHandler(b.rfd, (fd, ev) -> {
                cb.incrementAndGet();
                ctx.removeFdHandler(a.rfd);
            }, null);
            a.write(1);
            b.write(1);
            assertTrue(ctx.poll(false));
            assertEquals(1, ca.get() + cb.get(), "exactly one ran; the removed one was skipped");
            AtomicInteger removed = ca.get() == 0 ? ca : cb;
            for (int i = 0; i < 3; i++) {
                ctx.poll(false);
            }
            assertEquals(0, removed.get(), "its fd is still ready (level-triggered), yet the removed handler never ran");
            assertEquals(4, ca.get() + cb.get(), "the surviving one keeps firing while its fd stays ready");

            // A handler that removes itself runs once although its fd stays readable.
            AtomicInteger self = new AtomicInteger();
            ctx.setFdHandler(a.rfd, (fd, ev) -> {
                self.incrementAndGet();
                ctx.removeFdHandler(fd);
            }, null);
            ctx.poll(false);
            ctx.poll(false);
            assertEquals(1, self.get());
            ctx.removeFdHandler(b.rfd);
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void handlerReplacedDuringDispatchRunsOnlyTheNewOne(String backend) {
        try (AioContextImpl ctx = Contexts.open(backend); TestPipe a = new TestPipe(); TestPipe b = new TestPipe()) {
            AtomicInteger oldA = new AtomicInteger();
            AtomicInteger oldB = new AtomicInteger();
            AtomicInteger newA = new AtomicInteger();
            AtomicInteger newB = new AtomicInteger();
            ctx.setFdHandler(a.rfd, (fd, ev) -> {
                oldA.incrementAndGet();
                a.drain();
                ctx.setFdHandler(b.rfd, (f, e) -> newB.incrementAndGet(), null);
            }, null);
            ctx.setFdHandler(b.rfd, (fd, ev) -> {
                oldB.incrementAndGet();
                b.drain();
                ctx.setFdHandler(a.rfd, (f, e) -> newA.incrementAndGet(), null);
            }, null);
            a.write(1);
            b.write(1);
            ctx.poll(false);
            assertEquals(1, oldA.get() + oldB.get(), "the first replaced the second, which then did not run");
            ctx.poll(false);
            ctx.poll(false);
            assertEquals(1, oldA.get() + oldB.get(), "replaced handlers never run again");
            assertEquals(2, newA.get() + newB.get(), "the new handler runs on the following passes");
            ctx.removeFdHandler(a.rfd);
            ctx.removeFdHandler(b.rfd);
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void nestedPollStealsReadinessSoNothingRunsTwice(String backend) {
        try (AioContextImpl ctx = Contexts.open(backend); TestPipe a = new TestPipe(); TestPipe b = new TestPipe()) {
            AtomicInteger ca = new AtomicInteger();
            AtomicInteger cb = new AtomicInteger();
            AtomicInteger nestedProgress = new AtomicInteger();
            AtomicInteger bhRuns = new AtomicInteger();
            BottomHalf bh = ctx.newBottomHalf("inner", bhRuns::incrementAndGet);
            ctx.setFdHandler(a.rfd, (fd, ev) -> {
                ca.incrementAndGet();
                a.drain();
                bh.schedule();
                if (ctx.poll(false)) { // nested aio_poll from a callback
                    nestedProgress.incrementAndGet();
                }
            }, null);
            ctx.setFdHandler(b.rfd, (fd, ev) -> {
                cb.incrementAndGet();
                b.drain();
            }, null);
            a.write(1);
            b.write(1);
            assertTrue(ctx.poll(false));
            assertEquals(1, ca.get());
            assertEquals(1, cb.get(), "b ran once, in the nested pass or the outer, never in both");
            assertEquals(1, bhRuns.get(), "the BH scheduled from the callback ran in the nested pass");
            assertEquals(1, nestedProgress.get());
            assertFalse(ctx.poll(false));
            ctx.removeFdHandler(a.rfd);
            ctx.removeFdHandler(b.rfd);
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void homeThreadOnly(String backend) throws Exception {
        try (AioContextImpl ctx = Contexts.open(backend)) {
            assertNotNull(ctx);
            ctx.poll(false); // adopts this thread
            assertTrue(ctx.inHomeThread());
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    ctx.poll(false);
                } catch (Throwable t) {
                    seen.set(t);
                }
            }, "intruder");
            other.start();
            other.join(5000);
            assertTrue(seen.get() instanceof WrongThreadException, String.valueOf(seen.get()));
            String msg = seen.get().getMessage();
            assertTrue(msg.contains(ctx.name()) && msg.contains("intruder")
                    && msg.contains(Thread.currentThread().getName()), msg);
            CompletableFuture<Throwable> sub = CompletableFuture.supplyAsync(() -> {
                try {
                    ctx.submitBlocking(() -> 1);
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            assertTrue(sub.get(5, TimeUnit.SECONDS) instanceof WrongThreadException);
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void submitBlockingCompletesOnHomeThread(String backend) throws Exception {
        try (AioContextImpl ctx = Contexts.open(backend)) {
            ctx.poll(false);
            Thread home = Thread.currentThread();
            AtomicReference<Thread> completedOn = new AtomicReference<>();
            CompletableFuture<Integer> f = ctx.submitBlocking(() -> 6 * 7);
            f.whenComplete((v, e) -> completedOn.set(Thread.currentThread()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!f.isDone() && System.nanoTime() < deadline) {
                ctx.poll(true);
            }
            assertEquals(42, f.getNow(-1));
            assertEquals(home, completedOn.get());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void closedContextRejectsEverything(String backend) {
        AioContextImpl ctx = Contexts.open(backend);
        BottomHalf bh = ctx.newBottomHalf("b", () -> { });
        Timer t = ctx.newTimer(ClockType.REALTIME, "t", () -> { });
        t.modIn(1, TimeUnit.HOURS);
        ctx.close();
        ctx.close(); // idempotent
        assertTrue(ctx.isClosed());
        assertThrows(ContextClosedException.class, () -> ctx.poll(false));
        assertThrows(ContextClosedException.class, () -> ctx.newBottomHalf("x", () -> { }));
        assertThrows(ContextClosedException.class, () -> ctx.scheduleOneshot(() -> { }));
        assertThrows(ContextClosedException.class, () -> ctx.setFdHandler(0, (f, e) -> { }, null));
        assertThrows(ContextClosedException.class, bh::schedule);
        assertThrows(ContextClosedException.class, () -> t.modNanos(5));
        assertFalse(t.isPending());
        assertTrue(bh.isDeleted());
        ctx.kick(); // harmless
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void badInputIsTypedAndLosesNothing(String backend) throws Exception {
        try (AioContextImpl ctx = Contexts.open(backend); TestPipe good = new TestPipe()) {
            AtomicInteger n = new AtomicInteger();
            ctx.setFdHandler(good.rfd, (fd, ev) -> {
                n.incrementAndGet();
                good.drain();
            }, null);
            ctx.poll(false);
            assertThrows(InvalidFdException.class, () -> ctx.setFdHandler(-1, (f, e) -> { }, null));
            assertThrows(InvalidFdException.class, () -> ctx.setFdHandler(good.rfd, null, null));
            assertThrows(InvalidFdException.class, () -> ctx.setFdHandler(ctx.notifierFd(), (f, e) -> { }, null));
            assertThrows(NullPointerException.class, () -> ctx.newBottomHalf("n", null));
            assertThrows(NullPointerException.class, () -> ctx.newTimer(ClockType.HOST, "n", null));
            TestPipe closed = new TestPipe();
            int dead = closed.rfd;
            closed.close();
            InvalidFdException home = assertThrows(InvalidFdException.class,
                    () -> ctx.setFdHandler(dead, (f, e) -> { }, null));
            assertEquals(dead, home.fd());
            CompletableFuture<Throwable> foreign = CompletableFuture.supplyAsync(() -> {
                try {
                    ctx.setFdHandler(dead, (f, e) -> { }, null);
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            assertTrue(foreign.get(5, TimeUnit.SECONDS) instanceof InvalidFdException);
            // Replacing a good registration with a bad one is impossible (fd is the key), and the good
            // one still works.
            good.write(1);
            assertTrue(ctx.poll(false));
            assertEquals(1, n.get());
            assertEquals(1, ctx.snapshot().handlers().size());
            ctx.removeFdHandler(good.rfd);
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void throwingCallbacksAreReportedAndIsolated(String backend) {
        ManualClockSource clock = new ManualClockSource();
        try (AioContextImpl ctx = Contexts.open(backend, clock); TestPipe p = new TestPipe()) {
            List<String> reports = new ArrayList<>();
            ctx.setErrorHandler((c, what, err) -> reports.add(c + "|" + what + "|" + err.getMessage()));
            AtomicInteger after = new AtomicInteger();
            ctx.newBottomHalf("boom-bh", () -> {
                throw new IllegalStateException("bh failed");
            }).schedule();
            ctx.setFdHandler(p.rfd, (fd, ev) -> {
                p.drain();
                throw new IllegalStateException("read failed");
            }, null, null, null, "device-x");
            ctx.newTimer(ClockType.REALTIME, "boom-timer", () -> {
                throw new IllegalStateException("timer failed");
            }).modNanos(1);
            ctx.newBottomHalf("fine", after::incrementAndGet).schedule();
            p.write(1);
            clock.advance(1);
            assertTrue(ctx.poll(false));
            assertEquals(1, after.get(), "the loop kept going");
            assertEquals(3, ctx.stats().callbackErrors());
            assertEquals(3, reports.size(), reports.toString());
            assertTrue(reports.stream().anyMatch(r -> r.contains("bh 'boom-bh'") && r.contains("bh failed")), reports.toString());
            assertTrue(reports.stream().anyMatch(r -> r.contains("fd " + p.rfd + " read") && r.contains("device-x")),
                    reports.toString());
            assertTrue(reports.stream().anyMatch(r -> r.contains("timer 'boom-timer'")), reports.toString());
            assertEquals("device-x", ctx.snapshot().handlers().get(0).owner());
            p.write(1);
            assertTrue(ctx.poll(false), "the throwing handler is still registered");
            ctx.removeFdHandler(p.rfd);
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void timersWakeABlockingPoll(String backend) {
        try (AioContextImpl ctx = Contexts.open(backend)) {
            AtomicInteger n = new AtomicInteger();
            Timer t = ctx.newTimer(ClockType.REALTIME, "t", n::incrementAndGet);
            long start = System.nanoTime();
            t.modIn(20, TimeUnit.MILLISECONDS);
            ctx.poll(false); // consume the head-change kick
            while (n.get() == 0) {
                ctx.poll(true);
            }
            long took = System.nanoTime() - start;
            assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(20), "fired early: " + took);
            assertTrue(took < TimeUnit.SECONDS.toNanos(5), "fired late: " + took);
            assertTrue(ctx.stats().blockingWaits() >= 1);
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void crossThreadRegistrationAndOneshotWakeABlockingPoll(String backend) throws Exception {
        try (AioContextImpl ctx = Contexts.open(backend); TestPipe p = new TestPipe()) {
            ctx.poll(false); // home = this thread
            AtomicInteger reads = new AtomicInteger();
            CountDownLatch registered = new CountDownLatch(1);
            Thread t = new Thread(() -> {
                ctx.setFdHandler(p.rfd, (fd, ev) -> {
                    reads.incrementAndGet();
                    p.drain();
                }, null);
                registered.countDown();
                p.write(1);
            });
            t.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (reads.get() == 0 && System.nanoTime() < deadline) {
                ctx.poll(true);
            }
            assertEquals(1, reads.get());
            t.join();
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            CompletableFuture.runAsync(() -> ctx.execute(() -> ranOn.set(Thread.currentThread())));
            while (ranOn.get() == null && System.nanoTime() < deadline) {
                ctx.poll(true);
            }
            assertEquals(Thread.currentThread(), ranOn.get());
            ContextSnapshot s = ctx.snapshot();
            assertEquals(backend, s.backend());
            assertEquals(1, s.handlers().size());
            assertEquals(IoEvents.READ_READY, s.handlers().get(0).events());
            assertTrue(ctx.removeFdHandler(p.rfd));
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void kickDuringDispatchMakesTheNextWaitNonBlocking(String backend) {
        try (AioContextImpl ctx = Contexts.open(backend)) {
            // bounds a regression to 5 s instead of a hang (armed first: its own kick is consumed)
            ctx.newTimer(ClockType.REALTIME, "watchdog", () -> { }).modIn(5, TimeUnit.SECONDS);
            ctx.poll(false);
            ctx.scheduleOneshot(ctx::kick); // notified is accepted before dispatch, so this one survives
            assertTrue(ctx.poll(false));
            long waitsBefore = ctx.stats().blockingWaits();
            long start = System.nanoTime();
            assertFalse(ctx.poll(true), "woken by the kick from the previous dispatch");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
            assertEquals(waitsBefore, ctx.stats().blockingWaits(), "it did not even enter a blocking wait");
        }
    }

    /**
     * Dispatch time is measured per pass: a pass whose callbacks take 3 ms shows up as the longest
     * dispatch phase, nested callbacks included; passes that run no callback add nothing.
     */
    @ParameterizedTest
    @MethodSource("org.aioloop.core.aio.Contexts#backends")
    void dispatchTimeIsThePassesCallbacksNestedIncluded(String backend) {
        try (AioContextImpl ctx = Contexts.open(backend)) {
            ctx.poll(false);
            long idleBefore = ctx.stats().dispatchNanos();
            for (int i = 0; i < 100; i++) {
                ctx.poll(false);
            }
            assertEquals(idleBefore, ctx.stats().dispatchNanos(), "idle passes ran no callback");
            ctx.scheduleOneshot(() -> {
                spin(1_000_000);
                ctx.scheduleOneshot(() -> spin(2_000_000));
                ctx.poll(false); // nested: its 2 ms belong to this callback's pass
            });
            ctx.poll(false);
            long max = ctx.stats().maxDispatchNanos();
            assertTrue(max >= 3_000_000, "longest dispatch phase " + max + " ns");
            assertTrue(ctx.stats().dispatchNanos() - idleBefore >= max);
        }
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
