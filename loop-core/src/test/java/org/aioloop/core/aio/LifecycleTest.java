package org.aioloop.core.aio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.aioloop.api.ClockType;
import org.aioloop.api.ContextClosedException;
import org.aioloop.core.AioContexts;
import org.aioloop.core.BackendRegistry;
import org.aioloop.core.ManualClockSource;
import org.aioloop.api.BackendUnavailableException;
import org.aioloop.posix.FdCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Creation, destruction, fd hygiene and the VIRTUAL clock through a context. */
class LifecycleTest {
    private static final String BACKENDS = "org.aioloop.core.aio.Contexts#backends";

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void contextsLeakNoFds(String backend) {
        Contexts.open(backend).close(); // warm up lazily opened JVM/JNA fds
        int before = FdCounter.openFds();
        for (int i = 0; i < 50; i++) {
            AioContextImpl ctx = Contexts.open(backend);
            try (TestPipe p = new TestPipe()) {
                ctx.setFdHandler(p.rfd, (fd, ev) -> p.drain(), null);
                p.write(1);
                ctx.poll(false);
                ctx.close();
            }
        }
        assertEquals(before, FdCounter.openFds(), "notifier, monitor and pipes all released");
    }

    @Test
    void switchingLeaksNoFds() {
        try (AioContextImpl warm = Contexts.open("poll")) {
            warm.switchBackend("epoll");
        }
        int before = FdCounter.openFds();
        try (AioContextImpl ctx = Contexts.open("poll")) {
            for (int i = 0; i < 20; i++) {
                assertTrue(ctx.switchBackend(i % 2 == 0 ? "epoll" : "poll").isDone());
            }
        }
        assertEquals(before, FdCounter.openFds(), "each old monitor is closed");
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void closeFromAnotherThreadWakesTheLoopAndReleasesAfterIt(String backend) throws Exception {
        AioContextImpl ctx = Contexts.open(backend);
        CountDownLatch entered = new CountDownLatch(1);
        AtomicReference<Throwable> second = new AtomicReference<>();
        Thread loop = new Thread(() -> {
            ctx.scheduleOneshot(entered::countDown);
            try {
                while (true) {
                    ctx.poll(true); // blocks until close() kicks it (or close() came first)
                }
            } catch (Throwable t) {
                second.set(t);
            }
        }, "closing-loop");
        loop.start();
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        ctx.close();
        loop.join(5000);
        assertTrue(!loop.isAlive(), "the blocked poll was woken by close()");
        assertTrue(second.get() instanceof ContextClosedException, String.valueOf(second.get()));
    }

    @Test
    void closeFromInsideACallbackIsDeferredToTheOutermostPass() {
        AioContextImpl ctx = Contexts.open("poll");
        ctx.scheduleOneshot(() -> {
            ctx.close();
            assertTrue(ctx.isClosed());
            // still inside the pass: structures are not released under our feet
            ctx.kick();
        });
        ctx.poll(false);
        assertThrows(ContextClosedException.class, () -> ctx.poll(false));
    }

    @Test
    void unknownBackendIsATypedError() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> AioContexts.builder().backend("io_uring").build());
        assertEquals("io_uring", e.backend());
        assertThrows(BackendUnavailableException.class,
                () -> AioContexts.builder().registry(new BackendRegistry()).build());
    }

    @Test
    void virtualTimersPauseWithTheClock() {
        ManualClockSource clock = new ManualClockSource();
        try (AioContextImpl ctx = Contexts.open("epoll", clock)) {
            int[] fired = new int[1];
            ctx.newTimer(ClockType.VIRTUAL, "guest", () -> fired[0]++).modIn(10, TimeUnit.NANOSECONDS);
            ctx.newTimer(ClockType.REALTIME, "host-side", () -> fired[0] += 100).modIn(10, TimeUnit.NANOSECONDS);
            clock.stopVirtual();
            clock.advance(50);
            assertTrue(ctx.poll(false));
            assertEquals(100, fired[0], "REALTIME keeps running while VIRTUAL is stopped");
            clock.resumeVirtual();
            assertEquals(false, ctx.poll(false), "resuming kicks, but 10 ns of virtual time have not passed");
            clock.advance(10);
            assertTrue(ctx.poll(false));
            assertEquals(101, fired[0]);
        }
    }
}
