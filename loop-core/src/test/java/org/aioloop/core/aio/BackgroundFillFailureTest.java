package org.aioloop.core.aio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aioloop.api.BackendUnavailableException;
import org.aioloop.core.AioContexts;
import org.aioloop.core.BackendRegistry;
import org.junit.jupiter.api.Test;

/**
 * A background fill that fails leaves the context on its old monitor with every registration, closes
 * the new monitor, and fails the request saying why; a closed context fails an in-flight switch.
 */
class BackgroundFillFailureTest {
    private static final int PIPES = MonitorSwitcher.BACKGROUND_FILL_MIN_FDS + 44;

    /** Requests the switch from inside a pass (so it is queued) and runs the loop until it is done. */
    private static CompletableFuture<String> switchFromPass(AioContextImpl ctx, String to) {
        List<CompletableFuture<String>> out = new ArrayList<>();
        ctx.scheduleOneshot(() -> out.add(ctx.switchBackend(to)));
        ctx.poll(false);
        CompletableFuture<String> f = out.get(0);
        // it completes inside a pass (between two passes' work), which would then block: wake it
        f.whenComplete((r, e) -> ctx.kick());
        // the filling thread kicks the loop when it is done; a watchdog bounds a lost wakeup
        org.aioloop.api.Timer watchdog = ctx.newTimer(org.aioloop.api.ClockType.REALTIME, "watchdog", () -> { });
        watchdog.modIn(10, TimeUnit.SECONDS);
        for (int i = 0; i < 100_000 && !f.isDone() && watchdog.isPending(); i++) {
            ctx.poll(true);
        }
        watchdog.close();
        assertTrue(f.isDone(), "switch to " + to + " done; filling=" + ctx.switcher().filling()
                + " backend=" + ctx.backendName());
        return f;
    }

    @Test
    void failedFillStaysOnTheOldMonitor() throws Exception {
        BackendRegistry reg = BackendRegistry.fromServiceLoader();
        FailingBackend failOpen = new FailingBackend("fail-open", reg.byName("epoll"), -1);
        FailingBackend failAdd = new FailingBackend("fail-add", reg.byName("epoll"), 100);
        FailingBackend good = new FailingBackend("good", reg.byName("epoll"), Integer.MAX_VALUE);
        reg.add(failOpen);
        reg.add(failAdd);
        reg.add(good);
        List<TestPipe> pipes = new ArrayList<>();
        AtomicInteger reads = new AtomicInteger();
        try (AioContextImpl ctx = AioContexts.builder().registry(reg).backend("poll").epollUpgradeThreshold(0).build()) {
            for (int i = 0; i < PIPES; i++) {
                TestPipe p = new TestPipe();
                pipes.add(p);
                ctx.setFdHandler(p.rfd, (fd, ev) -> reads.addAndGet(p.drain()), null);
            }
            ctx.poll(false);
            for (String name : new String[] {"fail-open", "fail-add"}) {
                CompletableFuture<String> f = switchFromPass(ctx, name);
                ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof BackendUnavailableException, e.getCause().toString());
                assertTrue(e.getCause().getMessage().contains(name), e.getCause().getMessage());
                assertEquals("poll", ctx.backendName());
            }
            assertTrue(failAdd.fillThreadAdds.get() > 0, "the fill ran on the filling thread");
            assertEquals(1, failAdd.closedMonitors.get(), "the half-filled monitor was closed");
            assertEquals(0, ctx.stats().backendSwitches());
            for (TestPipe p : pipes) {
                p.write(1);
            }
            for (int i = 0; i < 1000 && reads.get() < PIPES; i++) {
                ctx.poll(true);
            }
            assertEquals(PIPES, reads.get(), "every registration works on the old monitor");

            // and a later background switch works (tracking was reset)
            assertEquals("good", switchFromPass(ctx, "good").get(5, TimeUnit.SECONDS));
            assertTrue(good.fillThreadAdds.get() >= PIPES);
            for (TestPipe p : pipes) {
                p.write(1);
            }
            for (int i = 0; i < 1000 && reads.get() < 2 * PIPES; i++) {
                ctx.poll(true);
            }
            assertEquals(2 * PIPES, reads.get());
        } finally {
            pipes.forEach(TestPipe::close);
        }
    }

    @Test
    void closingTheContextFailsTheSwitchInFlightAndClosesItsMonitor() throws Exception {
        BackendRegistry reg = BackendRegistry.fromServiceLoader();
        FailingBackend good = new FailingBackend("good", reg.byName("epoll"), Integer.MAX_VALUE);
        reg.add(good);
        List<TestPipe> pipes = new ArrayList<>();
        CountDownLatch fillStarted = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        try {
            AioContextImpl ctx = AioContexts.builder().registry(reg).backend("poll").epollUpgradeThreshold(0).build();
            for (int i = 0; i < PIPES; i++) {
                TestPipe p = new TestPipe();
                pipes.add(p);
                ctx.setFdHandler(p.rfd, (fd, ev) -> p.drain(), null);
            }
            ctx.switcher().fillStartedHook = () -> {
                fillStarted.countDown();
                try {
                    closed.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            List<CompletableFuture<String>> out = new ArrayList<>();
            ctx.scheduleOneshot(() -> out.add(ctx.switchBackend("good")));
            ctx.poll(false); // queues it
            ctx.poll(false); // starts the fill
            assertTrue(fillStarted.await(10, TimeUnit.SECONDS));
            ctx.close();
            ExecutionException e = assertThrows(ExecutionException.class, () -> out.get(0).get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof org.aioloop.api.ContextClosedException, e.getCause().toString());
            closed.countDown(); // let the filling thread finish: its monitor is closed when handed back
            assertTrue(good.firstClose.await(10, TimeUnit.SECONDS));
            assertEquals(1, good.closedMonitors.get(), "the abandoned new monitor was closed");
        } finally {
            closed.countDown();
            pipes.forEach(TestPipe::close);
        }
    }
}
