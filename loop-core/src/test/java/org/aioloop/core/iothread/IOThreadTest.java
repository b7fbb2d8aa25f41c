package org.aioloop.core.iothread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.aioloop.api.AioContext;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.PollParams;
import org.aioloop.api.WrongThreadException;
import org.aioloop.core.IOThread;
import org.aioloop.core.MainLoops;
import org.aioloop.posix.FdCounter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** IOThreads: start, serve, stop with nothing left behind (QEMU's iothread.c). */
class IOThreadTest {

    private static int liveThreadsNamed(String prefix) {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith(prefix)) {
                n++;
            }
        }
        return n;
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void startServeStopLeavesNothingBehind(String backend) throws Exception {
        int fdsBefore = FdCounter.openFds();
        for (int round = 0; round < 10; round++) {
            IOThread io = IOThread.builder("io-" + backend).backend(backend).threadPoolLimits(1, 4).build().start();
            assertTrue(io.isRunning());
            assertEquals("IO io-" + backend, io.thread().getName());
            assertEquals(PollParams.DEFAULT, io.context().pollParams(), "QEMU's IOThread polling default");

            AtomicReference<AioContext> current = new AtomicReference<>();
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            CountDownLatch ran = new CountDownLatch(1);
            io.execute(() -> {
                current.set(MainLoops.currentContext());
                ranOn.set(Thread.currentThread());
                ran.countDown();
            });
            assertTrue(ran.await(5, TimeUnit.SECONDS));
            assertSame(io.context(), current.get());
            assertSame(io.thread(), ranOn.get());

            // Blocking work: runs on a pool worker, completes on the IOThread.
            CountDownLatch registered = new CountDownLatch(1);
            CompletableFuture<Thread> worker = io.submit(() -> {
                registered.await(5, TimeUnit.SECONDS); // complete only after the dependent below exists
                return Thread.currentThread();
            });
            CompletableFuture<Thread> completion = worker.thenApply(w -> Thread.currentThread());
            registered.countDown();
            // Wait on the dependent only: a thread blocked in worker.get() may itself run worker's
            // pending dependents (CompletableFuture's postComplete helping).
            assertSame(io.thread(), completion.get(5, TimeUnit.SECONDS), "round " + round + ": completion on the IOThread");
            Thread w = worker.get(5, TimeUnit.SECONDS);
            assertFalse(w == io.thread(), "work runs on a pool worker");
            assertTrue(liveThreadsNamed("io-" + backend + " worker") >= 1, "min pool thread alive while running");

            io.stop();
            assertFalse(io.thread().isAlive(), "thread joined");
            assertTrue(io.context().isClosed(), "context closed");
            assertEquals(0, liveThreadsNamed("io-" + backend + " worker"), "pool workers joined");
            io.stop(); // idempotent
        }
        assertEquals(fdsBefore, FdCounter.openFds(), "every notifier and monitor fd closed");
    }

    @Test
    void usingAStoppedIOThreadGivesTypedErrors() {
        IOThread io = IOThread.builder("stopped").build().start();
        io.stop();
        ContextClosedException e = assertThrows(ContextClosedException.class, () -> io.submit(() -> 1));
        assertTrue(e.getMessage().contains("stopped"), e.getMessage());
        assertThrows(ContextClosedException.class, () -> io.execute(() -> { }));
        assertThrows(ContextClosedException.class, io::start);
        assertThrows(ContextClosedException.class, () -> io.context().scheduleOneshot(() -> { }));
    }

    @Test
    void submitBlockingFromAForeignThreadIsRefused() throws Exception {
        IOThread io = IOThread.builder("foreign").build().start();
        try {
            assertThrows(WrongThreadException.class, () -> io.context().submitBlocking(() -> 1));
            assertThrows(WrongThreadException.class, () -> io.context().poll(false));
            assertEquals(7, io.submit(() -> 7).get(5, TimeUnit.SECONDS), "the IOThread itself still works");
        } finally {
            io.stop();
        }
    }

    @Test
    void stopFromInsideTheIOThreadEndsItsLoop() throws Exception {
        IOThread io = IOThread.builder("self-stop").build().start();
        io.execute(io::stop);
        io.thread().join(5_000);
        assertFalse(io.thread().isAlive());
        assertTrue(io.context().isClosed());
    }

    @Test
    void neverStartedIOThreadReleasesItsContextOnStop() {
        int before = FdCounter.openFds();
        IOThread io = IOThread.builder("unstarted").build();
        io.stop();
        assertTrue(io.context().isClosed());
        assertEquals(before, FdCounter.openFds());
    }

    @Test
    void badSettingsNameTheirKey() {
        InvalidConfigurationException e1 = assertThrows(InvalidConfigurationException.class,
                () -> IOThread.builder("x").threadPoolLimits(-1, 2));
        assertEquals("thread-pool-min", e1.key());
        InvalidConfigurationException e2 = assertThrows(InvalidConfigurationException.class,
                () -> IOThread.builder("x").threadPoolLimits(0, 0));
        assertEquals("thread-pool-max", e2.key());
        assertThrows(InvalidConfigurationException.class, () -> IOThread.builder(" "));
        assertEquals("epoll-upgrade-threshold", assertThrows(InvalidConfigurationException.class,
                () -> IOThread.builder("x").epollUpgradeThreshold(-5)).key());
    }
}
