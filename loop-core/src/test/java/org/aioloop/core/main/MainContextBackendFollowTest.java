package org.aioloop.core.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.aioloop.api.IoEvents;
import org.aioloop.api.PollFd;
import org.aioloop.api.SourceHandle;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.core.BackendRegistry;
import org.aioloop.core.MainLoops;
import org.aioloop.core.SystemClockSource;
import org.aioloop.posix.EventNotifiers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The main context's wait set follows the backend registry: when its backend leaves, it moves to the
 * best remaining one on its owner thread (or on the remover's thread when nobody owns it), replaying
 * its fds, and no readiness is lost.
 */
class MainContextBackendFollowTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private static String other(String backend) {
        return "poll".equals(backend) ? "epoll" : "poll";
    }

    private BackendRegistry registryOfBoth() {
        BackendRegistry reg = new BackendRegistry();
        reg.add(BackendRegistry.shared().require("poll"));
        reg.add(BackendRegistry.shared().require("epoll"));
        return reg;
    }

    private MainContextImpl context(BackendRegistry reg, String backend) {
        MainContextImpl c = new MainContextImpl("follow-" + backend, SystemClockSource.INSTANCE, reg,
                reg.require(backend), EventNotifiers.create());
        toClose.add(c);
        return c;
    }

    /** Counts dispatches and remembers the last poll-fd result. */
    private static final class FdSource implements org.aioloop.api.EventSource {
        final AtomicInteger dispatches = new AtomicInteger();
        volatile PollFd pollFd;
        volatile int lastRevents;
        volatile CountDownLatch dispatched = new CountDownLatch(1);

        @Override
        public long prepare(SourceHandle source) {
            return -1;
        }

        @Override
        public boolean check(SourceHandle source) {
            return false;
        }

        @Override
        public boolean dispatch(SourceHandle source) {
            lastRevents = pollFd.revents();
            dispatches.incrementAndGet();
            dispatched.countDown();
            return true;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void aReadyFdIsStillReportedAfterItsBackendLeft(String from) throws Exception {
        BackendRegistry reg = registryOfBoth();
        PollBackend leaving = reg.require(from);
        MainContextImpl c = context(reg, from);
        TestFds pipe = new TestFds();
        toClose.add(pipe);
        FdSource s = new FdSource();
        SourceHandle h = c.attach(s, "fd", 0);
        s.pollFd = h.addPollFd(pipe.rfd, IoEvents.IN);
        assertFalse(c.iteration(false), "registered, nothing ready");
        pipe.write(); // ready in the old monitor, never reported by it

        reg.remove(leaving); // nobody owns the context: this thread switches it at once
        assertEquals(other(from), c.registrySwitch().get(5, TimeUnit.SECONDS));
        assertEquals(other(from), c.backendName());
        assertEquals(1, c.backendSwitches());

        assertTrue(c.iteration(true), "the replayed fd is ready: the wait does not block");
        assertEquals(1, s.dispatches.get());
        assertEquals(IoEvents.IN, s.lastRevents & IoEvents.IN);
        pipe.drain();
        assertFalse(c.iteration(false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void anOwnerBlockedInTheWaitSwitchesAndStillSeesTheFd(String from) throws Exception {
        BackendRegistry reg = registryOfBoth();
        PollBackend leaving = reg.require(from);
        MainContextImpl c = context(reg, from);
        TestFds pipe = new TestFds();
        toClose.add(pipe);
        FdSource s = new FdSource();
        SourceHandle h = c.attach(s, "fd", 0);
        s.pollFd = h.addPollFd(pipe.rfd, IoEvents.IN);

        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread owner = new Thread(() -> {
            try {
                c.acquire();
                try {
                    started.countDown();
                    while (s.dispatches.get() == 0) {
                        c.iteration(true); // blocks: nothing is ready until the pipe is written
                    }
                } finally {
                    c.release();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "main-context-owner");
        owner.start();
        assertTrue(started.await(5, TimeUnit.SECONDS));

        reg.remove(leaving); // the owner holds the context: it is woken and switches between iterations
        assertEquals(other(from), c.registrySwitch().get(5, TimeUnit.SECONDS));
        assertEquals(other(from), c.backendName());

        pipe.write(); // the owner is (again) blocked on the new monitor: this must wake it
        assertTrue(s.dispatched.await(5, TimeUnit.SECONDS), "the fd was not reported after the switch");
        owner.join(5_000);
        assertFalse(owner.isAlive());
        assertNull(failure.get());
        assertEquals(IoEvents.IN, s.lastRevents & IoEvents.IN);
    }

    @Test
    void withNothingLeftItStaysAndTakesTheFirstBackendThatComes() throws Exception {
        BackendRegistry reg = new BackendRegistry();
        PollBackend poll = BackendRegistry.shared().require("poll");
        PollBackend epoll = BackendRegistry.shared().require("epoll");
        reg.add(poll);
        MainContextImpl c = context(reg, "poll");
        TestFds pipe = new TestFds();
        toClose.add(pipe);
        FdSource s = new FdSource();
        SourceHandle h = c.attach(s, "fd", 0);
        s.pollFd = h.addPollFd(pipe.rfd, IoEvents.IN);
        assertFalse(c.iteration(false));

        reg.remove(poll);
        assertEquals("poll", c.backendName(), "no backend left: it keeps its monitor");
        pipe.write();
        reg.add(epoll);
        assertEquals("epoll", c.registrySwitch().get(5, TimeUnit.SECONDS));
        assertEquals("epoll", c.backendName());
        assertTrue(c.iteration(false));
        assertEquals(1, s.dispatches.get());
    }

    @Test
    void aFailingOpenKeepsTheContextWhereItIs() throws Exception {
        BackendRegistry reg = registryOfBoth();
        PollBackend broken = new PollBackend() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public int rank() {
                return 1_000;
            }

            @Override
            public String unavailableReason() {
                return null;
            }

            @Override
            public org.aioloop.api.backend.FdMonitor open() {
                throw new IllegalStateException("no monitor today");
            }
        };
        MainContextImpl c = context(reg, "poll");
        reg.add(broken);
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> c.switchBackend("broken").get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof org.aioloop.api.BackendUnavailableException, e.getCause().toString());
        assertTrue(e.getCause().getMessage().contains("no monitor today"), e.getCause().getMessage());
        assertEquals("poll", c.backendName());
        assertFalse(c.iteration(false), "still waits on its old monitor");
    }

    @Test
    void theMainLoopFollowsTheRegistry() throws InterruptedException, ExecutionException, TimeoutException {
        BackendRegistry reg = registryOfBoth();
        MainLoops.Loop l = MainLoops.builder().registry(reg).build();
        toClose.add(l);
        MainContextImpl mc = ((MainLoopImpl) l).mainContextImpl();
        assertEquals("poll", mc.backendName(), "GLib-style default");
        l.mainLoopWait(true);
        reg.remove(reg.require("poll"));
        assertEquals("epoll", mc.registrySwitch().get(5, TimeUnit.SECONDS));
        assertEquals("epoll", mc.backendName());
        AtomicInteger ran = new AtomicInteger();
        l.aioContext().scheduleOneshot(ran::incrementAndGet);
        for (int i = 0; i < 10 && ran.get() == 0; i++) {
            l.mainLoopWait(false);
        }
        assertEquals(1, ran.get());
    }

    /**
     * Races the queued switch against the owner taking and giving up the context: every removal must
     * be served (by the owner or by the remover), and an fd that stays ready is reported by every
     * single iteration on whichever monitor is current.
     */
    @Test
    void switchesUnderOwnershipChurnAreNeverStrandedAndLoseNothing() throws Exception {
        BackendRegistry reg = registryOfBoth();
        MainContextImpl c = context(reg, "poll");
        TestFds pipe = new TestFds();
        toClose.add(pipe);
        FdSource s = new FdSource();
        SourceHandle h = c.attach(s, "fd", 0);
        s.pollFd = h.addPollFd(pipe.rfd, IoEvents.IN);
        pipe.write(); // never drained: level-triggered, so every iteration must see it

        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicInteger misses = new AtomicInteger();
        AtomicInteger iterations = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread owner = new Thread(() -> {
            try {
                while (!stop.get()) {
                    if (!c.iteration(true)) { // takes and gives up the context every time
                        misses.incrementAndGet();
                    }
                    iterations.incrementAndGet();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "churning-owner");
        owner.start();
        int rounds = 300;
        try {
            for (int i = 0; i < rounds; i++) {
                PollBackend cur = reg.require(c.backendName());
                reg.remove(cur);
                assertEquals(other(cur.name()), c.registrySwitch().get(5, TimeUnit.SECONDS), "round " + i);
                reg.add(cur); // back, but not current: no switch
                awaitMore(iterations, iterations.get()); // interleave: the owner iterates on the new monitor
            }
        } finally {
            stop.set(true);
            owner.join(5_000);
        }
        assertFalse(owner.isAlive());
        assertNull(failure.get());
        assertEquals(rounds, c.backendSwitches());
        assertTrue(iterations.get() >= rounds);
        assertEquals(0, misses.get(), "iterations that did not see the ready fd");
    }

    /**
     * The narrow race: the remover finds the context owned (so it only queues and wakes) while the
     * owner is giving it up and will not iterate again. The owner's release must re-check the queue
     * under the lock, or the switch waits for an iteration that never comes.
     */
    @Test
    void aSwitchQueuedWhileTheOwnerReleasesIsServedWithoutAnotherIteration() throws Exception {
        BackendRegistry reg = registryOfBoth();
        MainContextImpl c = context(reg, "poll");
        int rounds = 3_000;
        java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread owner = new Thread(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    barrier.await(5, TimeUnit.SECONDS);
                    if (c.acquire()) { // fails only while the remover holds it transiently
                        c.release();
                    }
                    barrier.await(5, TimeUnit.SECONDS);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "releasing-owner");
        owner.start();
        int stranded = 0;
        for (int i = 0; i < rounds; i++) {
            PollBackend cur = reg.require(c.backendName());
            barrier.await(5, TimeUnit.SECONDS);
            reg.remove(cur);
            barrier.await(5, TimeUnit.SECONDS);
            // both threads are done and nobody iterates: the switch must have been served already
            if (!c.registrySwitch().isDone()) {
                stranded++;
                c.iteration(false); // serve it, so the next round starts clean
            }
            reg.add(cur);
        }
        owner.join(5_000);
        assertNull(failure.get());
        assertEquals(0, stranded, "switches left waiting for an iteration");
        assertEquals(rounds, c.backendSwitches());
    }

    /** Bounded busy wait (no sleep) until another thread's counter passes {@code seen}. */
    private static void awaitMore(AtomicInteger counter, int seen) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (counter.get() <= seen) {
            assertTrue(System.nanoTime() < deadline, "the owner made no progress");
            Thread.onSpinWait();
        }
    }
}
