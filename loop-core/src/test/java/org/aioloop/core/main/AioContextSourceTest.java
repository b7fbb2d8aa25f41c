package org.aioloop.core.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.aioloop.api.BottomHalf;
import org.aioloop.api.ClockType;
import org.aioloop.api.EventNotifier;
import org.aioloop.api.MainContext;
import org.aioloop.api.SourceHandle;
import org.aioloop.api.Timer;
import org.aioloop.core.Allocation;
import org.aioloop.core.AioContexts;
import org.aioloop.core.SystemClockSource;
import org.aioloop.core.aio.AioContextImpl;
import org.aioloop.posix.EventNotifiers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An AioContext driven as a source of a main context (QEMU's test-aio.c {@code /aio-gsource/*}
 * cases), with the child on each backend: bottom halves, notifiers, fd handlers and timers run
 * through {@link MainContextImpl#iteration(boolean)} instead of {@code poll}.
 */
class AioContextSourceTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private MainContextImpl main;
    private AioContextImpl ctx;
    private AioContextSource source;
    private SourceHandle handle;

    private void setUp(String backend) {
        main = Support.mainContext("poll", SystemClockSource.INSTANCE);
        ctx = AioContexts.builder().name("child-" + backend).backend(backend).build();
        source = new AioContextSource(ctx);
        handle = main.attach(source, "aio-context", MainContext.PRIORITY_DEFAULT);
        handle.setCanRecurse(true);
        // QEMU's tests first drain what creating the context left behind.
        while (main.iteration(false)) {
            // nothing
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (ctx != null) {
            ctx.close();
        }
        if (main != null) {
            main.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void bottomHalfRunsThroughTheMainContext(String backend) {
        setUp(backend);
        AtomicInteger runs = new AtomicInteger();
        BottomHalf bh = ctx.newBottomHalf("bh", runs::incrementAndGet);
        assertFalse(main.iteration(false));
        bh.schedule();
        assertEquals(0, runs.get());
        assertTrue(main.iteration(true));
        assertEquals(1, runs.get());
        assertFalse(main.iteration(false));
        bh.schedule();
        bh.cancel();
        main.iteration(false);
        assertEquals(1, runs.get(), "a cancelled bottom half does not run");
        bh.delete();
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void bottomHalfScheduledFromAnotherThreadWakesTheParent(String backend) throws Exception {
        setUp(backend);
        for (int round = 0; round < 200; round++) {
            AtomicInteger runs = new AtomicInteger();
            Thread t = new Thread(() -> ctx.scheduleOneshot(runs::incrementAndGet));
            t.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (runs.get() == 0) {
                assertTrue(System.nanoTime() < deadline, "round " + round + ": the kick did not wake the parent");
                main.iteration(true);
            }
            t.join(5_000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void eventNotifierSetFromAnotherThreadRunsItsHandler(String backend) throws Exception {
        setUp(backend);
        EventNotifier n = EventNotifiers.create();
        toClose.add(n);
        AtomicInteger runs = new AtomicInteger();
        ctx.setEventNotifier(n, (fd, ev) -> {
            n.testAndClear();
            runs.incrementAndGet();
        });
        while (main.iteration(false)) {
            // the registration kicked the context
        }
        assertEquals(0, runs.get());
        Thread t = new Thread(n::set);
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (runs.get() == 0) {
            assertTrue(System.nanoTime() < deadline, "notifier never dispatched");
            main.iteration(true);
        }
        t.join(5_000);
        assertFalse(main.iteration(false), "cleared by its handler: not ready again");
        assertEquals(1, runs.get());
        ctx.removeEventNotifier(n);
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void fdHandlersAreLevelTriggeredAndStopAfterRemoval(String backend) {
        setUp(backend);
        TestFds pipe = new TestFds();
        toClose.add(pipe);
        AtomicInteger reads = new AtomicInteger();
        ctx.setFdHandler(pipe.rfd, (fd, ev) -> reads.incrementAndGet(), null);
        main.iteration(false);
        assertEquals(0, reads.get());
        pipe.write();
        assertTrue(main.iteration(true));
        assertEquals(1, reads.get());
        main.iteration(false);
        assertEquals(2, reads.get(), "level-triggered: still readable, runs again");
        pipe.drain();
        main.iteration(false);
        assertEquals(2, reads.get());
        ctx.removeFdHandler(pipe.rfd);
        pipe.write();
        main.iteration(false);
        main.iteration(false);
        assertEquals(2, reads.get(), "a removed handler is never called");
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void timerWakesTheParentAtItsDeadline(String backend) {
        setUp(backend);
        AtomicInteger fired = new AtomicInteger();
        Timer timer = ctx.newTimer(ClockType.REALTIME, "t", fired::incrementAndGet);
        long start = System.nanoTime();
        timer.modIn(20, TimeUnit.MILLISECONDS);
        while (fired.get() == 0) {
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "timer never fired");
            main.iteration(true);
        }
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(19), "fired early");
        assertFalse(timer.isPending());
        timer.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void parentPollsOneFdWithEpollAndMirrorsEveryFdWithPoll(String backend) {
        setUp(backend);
        TestFds a = new TestFds();
        TestFds b = new TestFds();
        toClose.add(a);
        toClose.add(b);
        ctx.setFdHandler(a.rfd, (fd, ev) -> a.drain(), null);
        ctx.setFdHandler(b.rfd, (fd, ev) -> b.drain(), null);
        main.iteration(false);
        if ("epoll".equals(backend)) {
            assertEquals(1, source.polledFdCount(), "the child's epoll fd only");
        } else {
            assertEquals(3, source.polledFdCount(), "both fds and the child's notifier");
        }
        ctx.removeFdHandler(b.rfd);
        main.iteration(false);
        assertEquals("epoll".equals(backend) ? 1 : 2, source.polledFdCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void backendSwitchOfTheChildIsFollowedByTheParent(String backend) throws Exception {
        setUp(backend);
        TestFds pipe = new TestFds();
        toClose.add(pipe);
        AtomicInteger reads = new AtomicInteger();
        ctx.setFdHandler(pipe.rfd, (fd, ev) -> {
            pipe.drain();
            reads.incrementAndGet();
        }, null);
        main.iteration(false);
        String other = "epoll".equals(backend) ? "poll" : "epoll";
        java.util.concurrent.CompletableFuture<String> f = ctx.switchBackend(other);
        for (int i = 0; i < 10 && !f.isDone(); i++) {
            main.iteration(false);
        }
        assertEquals(other, f.get(5, TimeUnit.SECONDS));
        pipe.write();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (reads.get() == 0) {
            assertTrue(System.nanoTime() < deadline, "fd not seen after the child's backend switch");
            main.iteration(true);
        }
        assertEquals("epoll".equals(other) ? 1 : 2, source.polledFdCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void closedChildIsDestroyedAsASource(String backend) {
        setUp(backend);
        ctx.close();
        main.iteration(false);
        assertTrue(handle.isDestroyed());
        assertEquals(0, main.sourceCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void steadyStateAllocatesNothing(String backend) {
        setUp(backend);
        TestFds pipe = new TestFds();
        toClose.add(pipe);
        ctx.setFdHandler(pipe.rfd, (fd, ev) -> pipe.drain(), null);
        BottomHalf bh = ctx.newBottomHalf("again", () -> { });
        main.iteration(false);
        Allocation.assertNoAllocation("child on " + backend, 3_000, () -> {
            pipe.write();
            bh.schedule();
            main.iteration(false);
        });
        bh.delete();
    }
}
