package org.aioloop.core.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

import org.aioloop.api.AioContext;
import org.aioloop.api.BottomHalf;
import org.aioloop.api.ClockType;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.InvalidFdException;
import org.aioloop.api.IoEvents;
import org.aioloop.api.NativeCallException;
import org.aioloop.api.PollPhase;
import org.aioloop.api.Timer;
import org.aioloop.api.WrongThreadException;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.api.backend.ReadySet;
import org.aioloop.core.Allocation;
import org.aioloop.core.BackendRegistry;
import org.aioloop.core.ForwardingBackend;
import org.aioloop.core.ForwardingMonitor;
import org.aioloop.core.MainLoops;
import org.aioloop.core.ManualClockSource;
import org.aioloop.posix.FdCounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seed's main_loop_wait: poll notifiers, main-loop timers, the two AioContexts, run/quit. */
class MainLoopTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private MainLoops.Loop loop(String backend) {
        MainLoops.Loop l = MainLoops.builder().backend(backend).mainContextBackend(backend).build();
        toClose.add(l);
        settle(l);
        return l;
    }

    /** Runs the iterations that creating the contexts left pending (their first kicks). */
    private static void settle(MainLoops.Loop l) {
        for (int i = 0; i < 10 && l.mainLoopWait(true); i++) {
            // nothing
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void pollNotifiersFillAddAnFdLowerTheTimeoutAndReadResults(String backend) {
        MainLoops.Loop l = loop(backend);
        TestFds pipe = new TestFds();
        toClose.add(pipe);
        List<PollPhase> phases = new CopyOnWriteArrayList<>();
        AtomicInteger lastRevents = new AtomicInteger(-1);
        int[] index = new int[1];
        l.addPollNotifier((phase, set) -> {
            phases.add(phase);
            if (phase == PollPhase.FILL) {
                index[0] = set.add(pipe.rfd, IoEvents.IN);
                set.lowerTimeoutNanos(TimeUnit.MILLISECONDS.toNanos(10));
                set.lowerTimeoutNanos(TimeUnit.SECONDS.toNanos(10)); // larger: no effect
                assertEquals(TimeUnit.MILLISECONDS.toNanos(10), set.timeoutNanos());
            } else {
                lastRevents.set(set.revents(index[0]));
            }
        });
        long start = System.nanoTime();
        l.mainLoopWait(false);
        long elapsed = System.nanoTime() - start;
        assertEquals(List.of(PollPhase.FILL, PollPhase.OK), phases);
        assertEquals(0, lastRevents.get());
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(9), "the lowered timeout bounds the wait: " + elapsed);
        assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), "the lowered timeout was ignored: " + elapsed);

        pipe.write();
        start = System.nanoTime();
        l.mainLoopWait(false);
        assertEquals(IoEvents.IN, lastRevents.get() & IoEvents.IN, "the notifier's fd is in the one wait");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "a ready notifier fd ends the wait");
        pipe.drain();
    }

    @Test
    void nonblockingIterationStartsWithATimeoutOfZero() {
        MainLoops.Loop l = loop("poll");
        AtomicReference<Long> seen = new AtomicReference<>();
        l.addPollNotifier((phase, set) -> {
            if (phase == PollPhase.FILL) {
                seen.set(set.timeoutNanos());
                set.lowerTimeoutNanos(TimeUnit.MILLISECONDS.toNanos(1)); // so the blocking call ends
            }
        });
        l.mainLoopWait(true);
        assertEquals(0L, seen.get());
        l.mainLoopWait(false);
        assertEquals(-1L, seen.get(), "blocking: infinite until someone lowers it");
    }

    @Test
    void failingWaitIsReportedAsErrAndTheLoopGoesOn() {
        BackendRegistry reg = new BackendRegistry();
        PollBackend poll = BackendRegistry.shared().require("poll");
        reg.add(poll);
        AtomicBoolean fail = new AtomicBoolean();
        reg.add(new FaultyBackend(poll, fail));
        MainLoops.Loop l = MainLoops.builder().registry(reg).backend("poll").mainContextBackend("faulty").build();
        toClose.add(l);
        List<String> errors = new CopyOnWriteArrayList<>();
        ((MainLoopImpl) l).setErrorHandler((ctx, what, e) -> errors.add(what));
        settle(l);
        List<PollPhase> phases = new CopyOnWriteArrayList<>();
        l.addPollNotifier((phase, set) -> phases.add(phase));
        AtomicInteger bhRuns = new AtomicInteger();
        l.aioContext().scheduleOneshot(bhRuns::incrementAndGet);
        fail.set(true);
        l.mainLoopWait(false);
        assertEquals(List.of(PollPhase.FILL, PollPhase.ERR), phases);
        assertEquals(List.of("wait"), errors);
        assertEquals(1, bhRuns.get(), "sources ready without the wait still dispatch");
        fail.set(false);
        phases.clear();
        l.mainLoopWait(true);
        assertEquals(List.of(PollPhase.FILL, PollPhase.OK), phases);
    }

    @Test
    void mainLoopTimersRunAfterDispatchInArmingOrder() {
        ManualClockSource clock = new ManualClockSource();
        MainLoops.Loop l = MainLoops.builder().clocks(clock).build();
        toClose.add(l);
        settle(l);
        List<String> order = new CopyOnWriteArrayList<>();
        Timer t1 = l.newTimer(ClockType.REALTIME, "t1", () -> order.add("t1"));
        Timer t2 = l.newTimer(ClockType.REALTIME, "t2", () -> order.add("t2"));
        t2.modNanos(1_000);
        t1.modNanos(1_000);
        assertFalse(l.mainLoopWait(true), "not expired yet");
        clock.advance(1_000);
        l.aioContext().scheduleOneshot(() -> order.add("bh"));
        assertTrue(l.mainLoopWait(false), "expired timer: the wait does not block");
        assertEquals(List.of("bh", "t2", "t1"), order, "dispatch first, then the timers, equal deadlines FIFO");
        assertFalse(t1.isPending());
        t1.close();
        assertThrows(ContextClosedException.class, () -> t1.modNanos(5));
    }

    @Test
    void mainLoopTimerBoundsTheWait() {
        MainLoops.Loop l = loop("epoll");
        AtomicInteger fired = new AtomicInteger();
        Timer t = l.newTimer(ClockType.REALTIME, "t", fired::incrementAndGet);
        long start = System.nanoTime();
        t.modIn(15, TimeUnit.MILLISECONDS);
        while (fired.get() == 0) {
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "timer never ran");
            l.mainLoopWait(false);
        }
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(14));
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void iohandlerHandlersNeverRunInsideANestedPollOfTheMainContext(String backend) {
        MainLoops.Loop l = loop(backend);
        TestFds pipe = new TestFds();
        toClose.add(pipe);
        AtomicInteger ioRuns = new AtomicInteger();
        l.iohandlerContext().setFdHandler(pipe.rfd, (fd, ev) -> {
            pipe.drain();
            ioRuns.incrementAndGet();
        }, null);
        AtomicInteger duringNested = new AtomicInteger(-1);
        AtomicInteger nestedBh = new AtomicInteger();
        AioContext main = l.aioContext();
        main.scheduleOneshot(() -> {
            pipe.write(); // the iohandler fd is readable for the whole nested wait below
            int before = ioRuns.get();
            main.scheduleOneshot(nestedBh::incrementAndGet);
            for (int i = 0; i < 5; i++) {
                main.poll(false); // nested aio_poll(qemu_aio_context)
            }
            duringNested.set(ioRuns.get() - before);
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ioRuns.get() == 0) {
            assertTrue(System.nanoTime() < deadline, "the iohandler never ran");
            l.mainLoopWait(false);
        }
        assertEquals(1, nestedBh.get(), "the nested poll did serve the main context");
        assertEquals(0, duringNested.get(), "no iohandler callback inside the nested poll");
        assertEquals(1, ioRuns.get());
    }

    @Test
    void runUntilQuitFromAnotherThreadAndCurrentContext() throws Exception {
        MainLoops.Loop l = MainLoops.builder().build();
        toClose.add(l);
        AtomicReference<AioContext> current = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        Thread loopThread = new Thread(() -> {
            try {
                l.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "main-loop");
        l.aioContext().scheduleOneshot(() -> {
            current.set(MainLoops.currentContext());
            ran.countDown();
        });
        loopThread.start();
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        assertSame(l.aioContext(), current.get(), "the main AioContext is current in the loop thread");
        assertNull(MainLoops.currentContext(), "not in other threads");
        assertTrue(l.isRunning());
        assertThrows(WrongThreadException.class, l::run, "one loop thread at a time");
        l.quit(); // the loop is (or soon will be) asleep in its wait: quit must wake it
        loopThread.join(5_000);
        assertFalse(loopThread.isAlive(), "quit woke the loop");
        assertFalse(l.isRunning());
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    @Test
    void quitIsNeverLost() throws Exception {
        MainLoops.Loop l = MainLoops.builder().build();
        toClose.add(l);
        int rounds = 50;
        java.util.concurrent.Semaphore returned = new java.util.concurrent.Semaphore(0);
        // The loop's thread is fixed by its first iteration (the contexts' home thread): one thread
        // runs the loop again and again, another quits it each time.
        Thread t = new Thread(() -> {
            for (int r = 0; r < rounds; r++) {
                l.run();
                returned.release();
            }
        }, "main-loop");
        t.setDaemon(true);
        t.start();
        for (int round = 0; round < rounds; round++) {
            CountDownLatch started = new CountDownLatch(1);
            l.aioContext().scheduleOneshot(started::countDown);
            assertTrue(started.await(5, TimeUnit.SECONDS), "round " + round + ": loop not running");
            l.quit();
            assertTrue(returned.tryAcquire(5, TimeUnit.SECONDS), "round " + round + ": quit lost");
        }
        t.join(5_000);
        assertFalse(t.isAlive());
    }

    @Test
    void badPollSetUseIsRefusedAndIsolated() {
        MainLoops.Loop l = loop("poll");
        List<String> errors = new CopyOnWriteArrayList<>();
        ((MainLoopImpl) l).setErrorHandler((ctx, what, e) -> errors.add(e.getClass().getSimpleName()));
        AtomicInteger good = new AtomicInteger();
        l.addPollNotifier((phase, set) -> {
            if (phase == PollPhase.FILL) {
                set.add(-1, IoEvents.IN);
            }
        });
        l.addPollNotifier((phase, set) -> {
            if (phase == PollPhase.OK) {
                set.add(0, IoEvents.IN); // too late
            }
        });
        l.addPollNotifier((phase, set) -> {
            if (phase == PollPhase.FILL) {
                set.lowerTimeoutNanos(-5);
            }
        });
        l.addPollNotifier((phase, set) -> good.incrementAndGet());
        l.mainLoopWait(true);
        assertEquals(List.of("InvalidFdException", "IllegalArgumentException", "IllegalStateException"), errors);
        assertEquals(2, good.get(), "the other notifiers were still told FILL and OK");
    }

    @Test
    void closeReleasesEveryFdAndRefusesFurtherUse() {
        int before = FdCounter.openFds();
        MainLoops.Loop l = MainLoops.builder().backend("epoll").build();
        l.aioContext().scheduleOneshot(() -> { });
        l.mainLoopWait(true);
        assertTrue(FdCounter.openFds() > before);
        l.close();
        l.close();
        assertEquals(before, FdCounter.openFds());
        assertThrows(ContextClosedException.class, () -> l.mainLoopWait(true));
        assertThrows(ContextClosedException.class, () -> l.newTimer(ClockType.REALTIME, "t", () -> { }));
        assertThrows(ContextClosedException.class, () -> l.aioContext().scheduleOneshot(() -> { }));
    }

    @Test
    void badThreadPoolLimitsNameTheirKey() {
        org.aioloop.api.InvalidConfigurationException e = assertThrows(
                org.aioloop.api.InvalidConfigurationException.class,
                () -> MainLoops.builder().threadPoolLimits(4, 2));
        assertEquals("thread-pool-min", e.key());
        org.aioloop.api.InvalidConfigurationException e2 = assertThrows(
                org.aioloop.api.InvalidConfigurationException.class,
                () -> MainLoops.builder().epollUpgradeThreshold(-1));
        assertEquals("epoll-upgrade-threshold", e2.key());
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void steadyStateMainLoopWaitAllocatesNothing(String backend) {
        MainLoops.Loop l = loop(backend);
        TestFds pipe = new TestFds();
        toClose.add(pipe);
        l.iohandlerContext().setFdHandler(pipe.rfd, (fd, ev) -> pipe.drain(), null);
        BottomHalf bh = l.aioContext().newBottomHalf("tick", () -> { });
        int[] idx = new int[1];
        TestFds other = new TestFds();
        toClose.add(other);
        l.addPollNotifier((phase, set) -> {
            if (phase == PollPhase.FILL) {
                idx[0] = set.add(other.rfd, IoEvents.IN);
            } else if (phase == PollPhase.OK) {
                set.revents(idx[0]);
            }
        });
        Timer t = l.newTimer(ClockType.REALTIME, "far", () -> { });
        t.modIn(1, TimeUnit.HOURS);
        Allocation.assertNoAllocation("busy mainLoopWait on " + backend, 3_000, () -> {
            pipe.write();
            bh.schedule();
            l.mainLoopWait(false);
        });
        Allocation.assertNoAllocation("idle mainLoopWait on " + backend, 3_000, () -> l.mainLoopWait(true));
        bh.delete();
    }

    /** Wraps a backend so its monitors' waits fail on demand. */
    private static final class FaultyBackend extends ForwardingBackend {
        private final AtomicBoolean fail;

        FaultyBackend(PollBackend real, AtomicBoolean fail) {
            super("faulty", real);
            this.fail = fail;
        }

        @Override
        protected FdMonitor wrap(FdMonitor monitor) {
            return new ForwardingMonitor(name(), monitor) {
                @Override
                public int wait(long timeoutNanos, ReadySet ready) {
                    if (fail.get()) {
                        ready.clear();
                        throw new NativeCallException("ppoll", 22, "EINVAL", -1);
                    }
                    return real.wait(timeoutNanos, ready);
                }
            };
        }
    }
}
