package org.aioloop.core.aio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.aioloop.core.AioContexts;
import org.junit.jupiter.api.RepeatedTest;

/**
 * QEMU's poll→epoll upgrade reached only through registrations made by other threads while the
 * context blocks: the pass that applies them must also see the new count and upgrade, without any
 * further kick.
 */
class ForeignUpgradeTest {
    private static final int THRESHOLD = 64;

    @RepeatedTest(5)
    void foreignRegistrationsReachingTheThresholdUpgradeAnIdleContext() throws Exception {
        AtomicReference<AioContextImpl> ctxRef = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch adopted = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        AioContextImpl ctx = AioContexts.builder().name("foreign-upgrade").backend("poll")
                .epollUpgradeThreshold(THRESHOLD).build();
        ctxRef.set(ctx);
        boolean[] stop = {false};
        Thread loop = new Thread(() -> {
            try {
                ctx.poll(false); // becomes the home thread
                adopted.countDown();
                while (!stop[0]) {
                    ctx.poll(true);
                }
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                ctx.close();
                stopped.countDown();
            }
        }, "foreign-upgrade-loop");
        List<TestPipe> pipes = new ArrayList<>();
        try {
            loop.start();
            assertTrue(adopted.await(5, TimeUnit.SECONDS));
            // the notifier is one monitored fd: 63 pipes make 64; registered from this thread only
            for (int i = 0; i < THRESHOLD - 1; i++) {
                TestPipe p = new TestPipe();
                pipes.add(p);
                ctx.setFdHandler(p.rfd, (fd, ev) -> p.drain(), null);
            }
            // no kick, no bottom half, no timer from here on: only the context's own passes
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!"epoll".equals(ctx.backendName()) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // polling a condition, bounded
            }
            assertEquals("epoll", ctx.backendName(), "64 fds registered from another thread: still on poll");
            assertEquals(1, ctx.stats().backendSwitches());

            // every registration made it into the new monitor: the last pipe is served
            CountDownLatch served = new CountDownLatch(1);
            TestPipe last = pipes.get(pipes.size() - 1);
            ctx.setFdHandler(last.rfd, (fd, ev) -> {
                last.drain();
                served.countDown();
            }, null);
            last.write(1);
            assertTrue(served.await(5, TimeUnit.SECONDS), "a replayed registration was lost");
        } finally {
            ctx.execute(() -> stop[0] = true); // runs on the loop thread; scheduling kicks it
            assertTrue(stopped.await(5, TimeUnit.SECONDS));
            loop.join(5_000);
            pipes.forEach(TestPipe::close);
        }
        assertFalse(loop.isAlive());
        assertNull(failure.get());
    }
}
