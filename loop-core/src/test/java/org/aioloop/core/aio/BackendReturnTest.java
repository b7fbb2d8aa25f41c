package org.aioloop.core.aio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.core.AioContexts;
import org.aioloop.core.BackendRegistry;
import org.aioloop.core.ForwardingBackend;
import org.aioloop.core.ForwardingMonitor;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * A backend that leaves the registry and comes back under the same name (its bundle was updated) is
 * a new backend: the context must move to a monitor of the new instance, not keep the departed
 * one's because the name matches.
 */
class BackendReturnTest {

    /** One instance of an "epoll" backend, counting the monitors it opened and closed. */
    private static final class Instance extends ForwardingBackend {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        Instance(PollBackend real) {
            super("epoll", real);
        }

        @Override
        protected FdMonitor wrap(FdMonitor monitor) {
            opened.incrementAndGet();
            return new ForwardingMonitor(name(), monitor) {
                @Override
                public void close() {
                    closed.incrementAndGet();
                    real.close();
                }
            };
        }
    }

    private static PollBackend realEpoll() {
        return BackendRegistry.shared().require("epoll");
    }

    @Test
    void explicitSwitchToTheSameNameOpensTheNewInstance() {
        BackendRegistry reg = new BackendRegistry();
        Instance first = new Instance(realEpoll());
        reg.add(first);
        try (AioContextImpl ctx = AioContexts.builder().name("return").registry(reg).backend("epoll").build();
                TestPipe p = new TestPipe()) {
            AtomicLong reads = new AtomicLong();
            ctx.setFdHandler(p.rfd, (fd, ev) -> reads.addAndGet(p.drain()), null);
            reg.remove(first); // nothing left to go to: the context keeps the old monitor
            Instance second = new Instance(realEpoll());
            reg.add(second);

            assertEquals("epoll", ctx.switchBackend("epoll").join());
            ctx.poll(false); // serves whatever the registry queued

            assertEquals(1, second.opened.get(), "the returned backend's monitor is in use");
            assertEquals(1, first.closed.get(), "the departed backend's monitor was closed");
            p.write(1);
            assertTrue(ctx.poll(false));
            assertEquals(1, reads.get(), "the fd handler was replayed into the new monitor");
        }
    }

    @Test
    void followsABackendThatLeftWithNothingToGoToAndCameBack() {
        BackendRegistry reg = new BackendRegistry();
        Instance first = new Instance(realEpoll());
        reg.add(first);
        try (AioContextImpl ctx = AioContexts.builder().name("return").registry(reg).backend("epoll").build();
                TestPipe p = new TestPipe()) {
            AtomicLong reads = new AtomicLong();
            ctx.setFdHandler(p.rfd, (fd, ev) -> reads.addAndGet(p.drain()), null);
            reg.remove(first);
            ctx.poll(false);
            assertEquals(0, first.closed.get(), "with no backend left the context keeps its monitor");

            Instance second = new Instance(realEpoll());
            reg.add(second);
            ctx.poll(false); // the registry's request runs between passes

            assertEquals(1, second.opened.get());
            assertEquals(1, first.closed.get());
            assertEquals("epoll", ctx.backendName());
            p.write(1);
            assertTrue(ctx.poll(false));
            assertEquals(1, reads.get());
        }
    }

    @Test
    void aSameNameReplacementWhileAnotherBackendExistsEndsOnTheNewInstance() {
        BackendRegistry reg = new BackendRegistry();
        reg.add(BackendRegistry.shared().require("poll"));
        Instance first = new Instance(realEpoll());
        reg.add(first);
        try (AioContextImpl ctx = AioContexts.builder().name("return").registry(reg).backend("epoll").build()) {
            Instance second = new Instance(realEpoll());
            reg.add(second); // replaces first: reported as removed, then the new one as added
            ctx.poll(false);

            assertEquals("epoll", ctx.backendName());
            assertEquals(1, second.opened.get());
            assertEquals(1, first.closed.get());
        }
    }

    /** The registry changes from another thread while the home thread keeps polling. */
    @RepeatedTest(20)
    void leaveAndReturnFromAnotherThreadWhilePolling() throws Exception {
        BackendRegistry reg = new BackendRegistry();
        Instance first = new Instance(realEpoll());
        reg.add(first);
        try (AioContextImpl ctx = AioContexts.builder().name("return").registry(reg).backend("epoll").build();
                TestPipe p = new TestPipe()) {
            AtomicLong reads = new AtomicLong();
            ctx.setFdHandler(p.rfd, (fd, ev) -> reads.addAndGet(p.drain()), null);
            Instance second = new Instance(realEpoll());
            Thread churn = new Thread(() -> {
                reg.remove(first);
                reg.add(second);
            });
            churn.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while ((churn.isAlive() || second.opened.get() == 0) && System.nanoTime() < deadline) {
                ctx.poll(false);
            }
            churn.join(5_000);
            ctx.poll(false);
            assertEquals(1, second.opened.get());
            assertEquals(1, first.opened.get());
            assertEquals(1, first.closed.get());
            p.write(1);
            assertTrue(ctx.poll(false));
            assertEquals(1, reads.get());
        }
    }
}
