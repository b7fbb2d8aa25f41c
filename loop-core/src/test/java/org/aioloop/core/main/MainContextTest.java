package org.aioloop.core.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.aioloop.api.InvalidFdException;
import org.aioloop.api.IoEvents;
import org.aioloop.api.MainContext;
import org.aioloop.api.PollFd;
import org.aioloop.api.SourceHandle;
import org.aioloop.api.SourceStateException;
import org.aioloop.api.WrongThreadException;
import org.aioloop.core.Allocation;
import org.aioloop.core.ManualClockSource;
import org.aioloop.core.SystemClockSource;
import org.aioloop.posix.FdCounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GMainContext's contract (GLib's glib/tests/mainloop.c cases that apply). */
class MainContextTest {
    private final List<MainContextImpl> contexts = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private MainContextImpl ctx(String backend) {
        MainContextImpl c = Support.mainContext(backend, SystemClockSource.INSTANCE);
        contexts.add(c);
        return c;
    }

    private MainContextImpl ctx() {
        return ctx("poll");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (MainContextImpl c : contexts) {
            if (c.owner() == null || c.isOwner()) {
                c.close();
            }
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    @Test
    void onlyTheHighestReadyPriorityIsDispatched() {
        MainContextImpl c = ctx();
        List<String> log = new CopyOnWriteArrayList<>();
        RecordingSource low = new RecordingSource("low", log).alwaysReady();
        RecordingSource high = new RecordingSource("high", log).alwaysReady();
        RecordingSource high2 = new RecordingSource("high2", log).alwaysReady();
        c.attach(low, "low", MainContext.PRIORITY_DEFAULT);
        SourceHandle h = c.attach(high, "high", MainContext.PRIORITY_HIGH);
        c.attach(high2, "high2", MainContext.PRIORITY_HIGH);

        for (int i = 0; i < 5; i++) {
            assertTrue(c.iteration(false));
        }
        assertEquals(5, high.dispatches);
        assertEquals(5, high2.dispatches, "all ready sources of the best priority are dispatched");
        assertEquals(0, low.dispatches, "a lower priority starves while a higher one is ready");
        assertEquals(0, low.prepares, "prepare stops at the first lower priority once one is ready");

        h.destroy();
        c.attach(new RecordingSource("x"), "idle-not-ready", MainContext.PRIORITY_HIGH);
        high2.prepareResult = -1;
        assertTrue(c.iteration(false));
        assertEquals(1, low.dispatches, "once nothing better is ready the lower priority runs");
    }

    @Test
    void fdsOfLowerPrioritiesAreNotPolledWhileAHigherOneIsReady() throws Exception {
        MainContextImpl c = ctx();
        TestFds pipe = new TestFds();
        closeables.add(pipe);
        RecordingSource high = new RecordingSource("high").alwaysReady();
        RecordingSource low = new RecordingSource("low");
        c.attach(high, "high", MainContext.PRIORITY_HIGH);
        SourceHandle lh = c.attach(low, "low", MainContext.PRIORITY_LOW);
        PollFd pfd = lh.addPollFd(pipe.rfd, IoEvents.IN);
        pipe.write();
        assertTrue(c.iteration(false));
        assertEquals(0, pfd.revents(), "not polled: its priority is below the ready one");
        assertEquals(0, low.dispatches);
        high.prepareResult = -1;
        assertTrue(c.iteration(false));
        assertEquals(IoEvents.IN, pfd.revents() & IoEvents.IN);
        assertEquals(1, low.dispatches, "a poll fd with results makes its source ready (unix-fd rule)");
    }

    @Test
    void nonRecursiveSourceIsBlockedInNestedIterations() {
        MainContextImpl c = ctx();
        RecordingSource s = new RecordingSource("s").alwaysReady();
        SourceHandle h = c.attach(s, "s", MainContext.PRIORITY_DEFAULT);
        AtomicInteger nestedPrepares = new AtomicInteger(-1);
        AtomicBoolean nestedResult = new AtomicBoolean(true);
        s.onDispatch = src -> {
            if (s.dispatches == 1) {
                int before = s.prepares;
                nestedResult.set(c.iteration(false));
                nestedPrepares.set(s.prepares - before);
            }
        };
        assertFalse(h.canRecurse());
        assertTrue(c.iteration(false));
        assertFalse(nestedResult.get(), "the nested iteration had nothing to dispatch");
        assertEquals(0, nestedPrepares.get(), "a blocked source is not prepared");
        assertEquals(1, s.dispatches);
        assertTrue(c.iteration(false));
        assertEquals(2, s.dispatches, "unblocked after its dispatch returned");
    }

    @Test
    void canRecurseSourceIsServicedByNestedIterations() {
        MainContextImpl c = ctx();
        RecordingSource s = new RecordingSource("s").alwaysReady();
        SourceHandle h = c.attach(s, "s", MainContext.PRIORITY_DEFAULT);
        h.setCanRecurse(true);
        AtomicInteger maxDepth = new AtomicInteger();
        s.onDispatch = src -> {
            maxDepth.accumulateAndGet(s.inDispatch, Math::max);
            if (s.inDispatch == 1) {
                assertTrue(c.iteration(false), "nested iteration dispatches the recursive source");
            }
        };
        assertTrue(c.iteration(false));
        assertEquals(2, s.dispatches);
        assertEquals(2, maxDepth.get());
    }

    @Test
    void readySourceStolenByNestedIterationIsNotDispatchedTwice() {
        MainContextImpl c = ctx();
        RecordingSource a = new RecordingSource("a").alwaysReady();
        RecordingSource b = new RecordingSource("b");
        b.checkResult = true; // ready once per check
        SourceHandle ha = c.attach(a, "a", MainContext.PRIORITY_DEFAULT);
        c.attach(b, "b", MainContext.PRIORITY_DEFAULT);
        a.onDispatch = src -> {
            if (a.dispatches == 1) {
                b.checkResult = false;
                c.iteration(false); // b is still marked ready from the outer check: dispatched here
            }
        };
        assertFalse(ha.canRecurse());
        assertTrue(c.iteration(false));
        assertEquals(1, b.dispatches, "dispatched once, by the nested iteration");
    }

    @Test
    void readyTimeMakesASourceReadyAndIsNotResetByDispatch() {
        ManualClockSource clock = new ManualClockSource();
        MainContextImpl c = Support.mainContext("poll", clock);
        contexts.add(c);
        RecordingSource s = new RecordingSource("timed");
        SourceHandle h = c.attach(s, "timed", MainContext.PRIORITY_DEFAULT);
        clock.advance(1_000);
        h.setReadyTimeNanos(5_000);
        assertFalse(c.iteration(false));
        clock.advance(3_999);
        assertFalse(c.iteration(false));
        clock.advance(1);
        assertTrue(c.iteration(false));
        assertEquals(1, s.dispatches);
        assertTrue(c.iteration(false), "dispatch does not reset the ready time");
        h.setReadyTimeNanos(-1);
        assertFalse(c.iteration(false));
        h.setReadyTimeNanos(0);
        assertTrue(c.iteration(false), "0 means at once");
        assertEquals(3, s.dispatches);
        assertThrows(IllegalArgumentException.class, () -> h.setReadyTimeNanos(-7));
    }

    @Test
    void readyTimeBoundsABlockingWait() {
        MainContextImpl c = ctx();
        RecordingSource s = new RecordingSource("timed");
        SourceHandle h = c.attach(s, "timed", MainContext.PRIORITY_DEFAULT);
        long start = System.nanoTime();
        h.setReadyTimeNanos(SystemClockSource.INSTANCE.nanos(org.aioloop.api.ClockType.REALTIME)
                + TimeUnit.MILLISECONDS.toNanos(20));
        while (!c.iteration(true)) {
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "ready time never woke the wait");
        }
        long elapsed = System.nanoTime() - start;
        assertEquals(1, s.dispatches);
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(19), "dispatched too early: " + elapsed);
    }

    @Test
    void sourcesDestroyedDuringDispatchItselfAndAnother() {
        MainContextImpl c = ctx();
        List<String> log = new CopyOnWriteArrayList<>();
        RecordingSource a = new RecordingSource("a", log).alwaysReady();
        RecordingSource b = new RecordingSource("b", log).alwaysReady();
        RecordingSource self = new RecordingSource("self", log).alwaysReady();
        SourceHandle hb = c.attach(b, "b", 0);
        c.attach(a, "a", -1); // dispatched before b
        c.attach(self, "self", -1);
        a.onDispatch = src -> hb.destroy();
        self.onDispatch = src -> {
            src.destroy();
            src.destroy(); // twice: harmless
            assertTrue(src.isDestroyed());
        };
        assertTrue(c.iteration(false));
        assertEquals(List.of("dispatch a", "destroy b", "dispatch self", "destroy self"), log,
                "onDestroy runs once, never inside the source's own dispatch");
        assertEquals(0, b.dispatches);
        assertEquals(1, c.sourceCount());
        assertTrue(c.iteration(false));
        assertEquals(2, a.dispatches);
        assertEquals(1, self.dispatches);
        assertEquals(1, b.destroys);
        assertEquals(1, self.destroys);
    }

    @Test
    void destroyOfAnotherSourceAtTheSamePrioritySkipsItsPendingDispatch() {
        MainContextImpl c = ctx();
        RecordingSource a = new RecordingSource("a").alwaysReady();
        RecordingSource b = new RecordingSource("b").alwaysReady();
        c.attach(a, "a", 0);
        SourceHandle hb = c.attach(b, "b", 0);
        a.onDispatch = src -> hb.destroy();
        assertTrue(c.iteration(false));
        assertEquals(1, a.dispatches);
        assertEquals(0, b.dispatches, "collected for dispatch, but destroyed before its turn");
        assertEquals(1, b.destroys);
    }

    @Test
    void dispatchReturningFalseDestroysTheSource() {
        MainContextImpl c = ctx();
        RecordingSource s = new RecordingSource("once").alwaysReady();
        s.keep = false;
        SourceHandle h = c.attach(s, "once", 0);
        assertTrue(c.iteration(false));
        assertTrue(h.isDestroyed());
        assertFalse(c.iteration(false));
        assertEquals(1, s.dispatches);
        assertEquals(1, s.destroys);
        assertEquals(0, c.sourceCount());
    }

    @Test
    void destroyFromAnotherThreadWhileIdleRunsOnDestroyOnce() throws Exception {
        MainContextImpl c = ctx();
        RecordingSource s = new RecordingSource("s");
        SourceHandle h = c.attach(s, "s", 0);
        Thread t = new Thread(h::destroy);
        t.start();
        t.join(5_000);
        assertEquals(1, s.destroys);
        h.destroy();
        assertEquals(1, s.destroys);
    }

    @Test
    void throwingCallbacksAreReportedAndTheSourceStays() {
        MainContextImpl c = ctx();
        List<String> errors = new CopyOnWriteArrayList<>();
        c.setErrorHandler((context, what, e) -> errors.add(what + ": " + e.getMessage()));
        RecordingSource bad = new RecordingSource("bad").alwaysReady();
        bad.onDispatch = src -> {
            throw new IllegalStateException("boom");
        };
        RecordingSource good = new RecordingSource("good").alwaysReady();
        SourceHandle hb = c.attach(bad, "bad", 0);
        c.attach(good, "good", 0);
        assertTrue(c.iteration(false));
        assertTrue(c.iteration(false));
        assertEquals(List.of("source 'bad' dispatch: boom", "source 'bad' dispatch: boom"), errors);
        assertFalse(hb.isDestroyed());
        assertEquals(2, good.dispatches);
    }

    @Test
    void recursionFromPrepareIsRefused() {
        MainContextImpl c = ctx();
        RecordingSource s = new RecordingSource("s").alwaysReady();
        AtomicReference<Boolean> nested = new AtomicReference<>();
        s.onPrepare = src -> nested.set(c.iteration(false));
        c.attach(s, "s", 0);
        assertTrue(c.iteration(false));
        assertEquals(Boolean.FALSE, nested.get());
        assertEquals(1, s.dispatches);
    }

    @Test
    void attachingTwiceOrToTwoContextsIsRefusedAndNothingIsDisturbed() {
        MainContextImpl c1 = ctx();
        MainContextImpl c2 = ctx();
        RecordingSource s = new RecordingSource("s").alwaysReady();
        SourceHandle h = c1.attach(s, "s", 0);
        SourceStateException e1 = assertThrows(SourceStateException.class, () -> c1.attach(s, "again", 0));
        assertTrue(e1.getMessage().contains("already attached"), e1.getMessage());
        SourceStateException e2 = assertThrows(SourceStateException.class, () -> c2.attach(s, "other", 0));
        assertTrue(e2.getMessage().contains(c1.name()), e2.getMessage());
        assertEquals(1, c1.sourceCount());
        assertEquals(0, c2.sourceCount());
        assertTrue(c1.iteration(false));
        assertEquals(1, s.dispatches);
        h.destroy();
        c2.attach(s, "moved", 0); // once destroyed, the instance may be attached again
        assertTrue(c2.iteration(false));
        assertEquals(2, s.dispatches);
    }

    @Test
    void badPollFdsAreRefusedWithTypedErrors() {
        MainContextImpl c = ctx();
        RecordingSource s = new RecordingSource("s").alwaysReady();
        SourceHandle h = c.attach(s, "s", 0);
        InvalidFdException e = assertThrows(InvalidFdException.class, () -> h.addPollFd(-3, IoEvents.IN));
        assertEquals(-3, e.fd());
        assertTrue(e.getMessage().contains("'s'"), e.getMessage());
        assertThrows(InvalidFdException.class, () -> h.addPollFd(0, 0));
        h.destroy();
        assertThrows(SourceStateException.class, () -> h.addPollFd(0, IoEvents.IN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void closedPollFdIsReportedAsNvalWithoutDisturbingOthers(String backend) {
        MainContextImpl c = ctx(backend);
        TestFds good = new TestFds();
        closeables.add(good);
        TestFds doomed = new TestFds();
        RecordingSource s = new RecordingSource("s");
        SourceHandle h = c.attach(s, "s", 0);
        PollFd pg = h.addPollFd(good.rfd, IoEvents.IN);
        int bad = doomed.rfd;
        doomed.close();
        PollFd pb = h.addPollFd(bad, IoEvents.IN);
        good.write();
        assertTrue(c.iteration(true), "does not block: the invalid fd is reported at once");
        assertEquals(IoEvents.IN, pg.revents() & IoEvents.IN);
        assertEquals(IoEvents.NVAL, pb.revents() & IoEvents.NVAL);
        h.removePollFd(pb);
        good.drain();
        assertFalse(c.iteration(false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void pollFdResultsReachTheSource(String backend) {
        MainContextImpl c = ctx(backend);
        TestFds pipe = new TestFds();
        closeables.add(pipe);
        RecordingSource s = new RecordingSource("reader");
        SourceHandle h = c.attach(s, "reader", 0);
        PollFd p = h.addPollFd(pipe.rfd, IoEvents.IN);
        assertFalse(c.iteration(false));
        assertEquals(0, p.revents());
        pipe.write();
        assertTrue(c.iteration(true));
        assertEquals(IoEvents.IN, p.revents() & IoEvents.IN);
        assertEquals(1, s.dispatches);
        assertTrue(c.iteration(false), "level-triggered: still readable");
        pipe.drain();
        assertFalse(c.iteration(false));
        h.removePollFd(p);
        pipe.write();
        assertFalse(c.iteration(false), "a removed poll fd is no longer polled");
        assertEquals(0, p.revents());
    }

    @Test
    void pollSetChangedDuringTheWaitDispatchesNothingThisIteration() {
        MainContextImpl c = ctx();
        TestFds pipe = new TestFds();
        closeables.add(pipe);
        RecordingSource s = new RecordingSource("s");
        s.checkResult = true;
        c.attach(s, "s", 0);
        SourceHandle other = c.attach(new RecordingSource("other"), "other", 0);
        // The hook runs between query and the wait: a poll fd added there changes the set GLib's
        // check was about to read results for (poll_changed).
        WaitHook hook = new WaitHook() {
            @Override
            public long fill(WaitSet waitSet, long sourcesTimeout) {
                other.addPollFd(pipe.rfd, IoEvents.IN);
                return 0;
            }

            @Override
            public void waited(WaitSet waitSet, int result) {
            }
        };
        assertFalse(c.iterate(false, hook), "poll set changed: nothing dispatched");
        assertEquals(0, s.dispatches);
        assertEquals(0, s.checks, "not even checked");
        assertTrue(c.iteration(false), "the next iteration starts over");
        assertEquals(1, s.dispatches);
    }

    @Test
    void ownershipIsPerThreadAndRecursive() throws Exception {
        MainContextImpl c = ctx();
        assertTrue(c.acquire());
        assertTrue(c.acquire());
        assertTrue(c.isOwner());
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> other = new AtomicReference<>();
        AtomicBoolean otherAcquired = new AtomicBoolean(true);
        Thread t = new Thread(() -> {
            try {
                otherAcquired.set(c.acquire());
                assertFalse(c.isOwner());
                assertFalse(c.pending(), "pending from a non-owner is false, as GLib");
                assertThrows(WrongThreadException.class, () -> c.iteration(false));
                assertThrows(WrongThreadException.class, c::release);
            } catch (Throwable e) {
                other.set(e);
            } finally {
                done.countDown();
            }
        });
        t.start();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        if (other.get() != null) {
            throw new AssertionError(other.get());
        }
        assertFalse(otherAcquired.get());
        c.release();
        assertTrue(c.isOwner(), "recursive: one release left");
        c.release();
        assertFalse(c.isOwner());
        assertSame(null, c.owner());
    }

    @Test
    void pendingDoesNotDispatchButKeepsTheSourceReady() {
        MainContextImpl c = ctx();
        RecordingSource s = new RecordingSource("s");
        s.checkResult = true;
        c.attach(s, "s", 0);
        assertTrue(c.pending());
        assertEquals(0, s.dispatches);
        s.checkResult = false;
        assertTrue(c.iteration(false), "still ready from pending()");
        assertEquals(1, s.dispatches);
    }

    @Test
    void wakeupBeforeABlockingIterationMakesItReturn() {
        MainContextImpl c = ctx();
        c.wakeup();
        long start = System.nanoTime();
        assertFalse(c.iteration(true), "nothing to dispatch, but it must not block");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
        assertEquals(0, c.wakeupWrites(), "nobody was sleeping: no eventfd write");
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void wakeupFromAnotherThreadIsNeverLost(String backend) throws Exception {
        MainContextImpl c = ctx(backend);
        AtomicInteger requested = new AtomicInteger();
        AtomicInteger seen = new AtomicInteger();
        RecordingSource s = new RecordingSource("counter") {
            @Override
            public boolean check(SourceHandle source) {
                return requested.get() != seen.get();
            }
        };
        s.onDispatch = src -> seen.set(requested.get());
        c.attach(s, "counter", 0);
        int rounds = 2_000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waker = new Thread(() -> {
            try {
                for (int i = 1; i <= rounds; i++) {
                    requested.set(i);
                    c.wakeup();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while (seen.get() != i) {
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("wakeup " + i + " lost");
                        }
                        Thread.onSpinWait();
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "waker");
        waker.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (seen.get() != rounds && failure.get() == null) {
            assertTrue(System.nanoTime() < deadline, "stuck at " + seen.get());
            c.iteration(true);
        }
        waker.join(5_000);
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(rounds, seen.get());
        assertTrue(c.wakeupWrites() <= rounds);
    }

    @Test
    void foreignDestroysRaceIterationsOnDestroyOnceAndNeverDuringACallback() throws Exception {
        MainContextImpl c = ctx();
        int n = 300;
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger[] destroys = new AtomicInteger[n];
        SourceHandle[] handles = new SourceHandle[n];
        for (int i = 0; i < n; i++) {
            AtomicInteger count = new AtomicInteger();
            destroys[i] = count;
            handles[i] = c.attach(new org.aioloop.api.EventSource() {
                volatile boolean busy;

                private long enter(long r) {
                    busy = true;
                    Thread.onSpinWait();
                    busy = false;
                    return r;
                }

                @Override
                public long prepare(SourceHandle source) {
                    return enter(0);
                }

                @Override
                public boolean check(SourceHandle source) {
                    return enter(1) == 1;
                }

                @Override
                public boolean dispatch(SourceHandle source) {
                    return enter(1) == 1;
                }

                @Override
                public void onDestroy(SourceHandle source) {
                    if (busy) {
                        violations.incrementAndGet();
                    }
                    count.incrementAndGet();
                }
            }, "s" + i, i % 3);
        }
        Thread destroyer = new Thread(() -> {
            for (int i = n - 1; i >= 0; i--) {
                handles[i].destroy();
                handles[(i * 7) % n].destroy(); // some twice
            }
        }, "destroyer");
        destroyer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (destroyer.isAlive() || c.sourceCount() > 0) {
            assertTrue(System.nanoTime() < deadline, "sources left: " + c.sourceCount());
            c.iteration(false);
        }
        destroyer.join(5_000);
        c.iteration(false); // drains any onDestroy the destroyer left to the owner
        for (int i = 0; i < n; i++) {
            assertEquals(1, destroys[i].get(), "source " + i + " onDestroy count");
        }
        assertEquals(0, violations.get(), "onDestroy ran while a callback of the source was running");
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void steadyStateIterationAllocatesNothing(String backend) {
        MainContextImpl c = ctx(backend);
        TestFds pipe = new TestFds();
        closeables.add(pipe);
        RecordingSource reader = new RecordingSource("reader");
        SourceHandle h = c.attach(reader, "reader", 0);
        h.addPollFd(pipe.rfd, IoEvents.IN);
        reader.onDispatch = src -> pipe.drain();
        RecordingSource ready = new RecordingSource("ready").alwaysReady();
        c.attach(ready, "ready", 0);
        RecordingSource idle = new RecordingSource("idle");
        c.attach(idle, "idle", MainContext.PRIORITY_LOW);
        Allocation.assertNoAllocation("busy iteration on " + backend, 5_000, () -> {
            pipe.write();
            c.iteration(false);
        });
        ready.prepareResult = -1;
        Allocation.assertNoAllocation("idle iteration on " + backend, 5_000, () -> c.iteration(false));
        assertTrue(reader.dispatches > 0);
    }

    @Test
    void closeDestroysSourcesAndReleasesFds() {
        int before = FdCounter.openFds();
        MainContextImpl c = Support.mainContext("epoll", SystemClockSource.INSTANCE);
        RecordingSource s = new RecordingSource("s").alwaysReady();
        c.attach(s, "s", 0);
        assertTrue(c.iteration(false));
        c.close();
        c.close();
        assertEquals(1, s.destroys);
        assertEquals(before, FdCounter.openFds());
        assertThrows(org.aioloop.api.ContextClosedException.class, () -> c.attach(new RecordingSource("t"), "t", 0));
    }
}
