package org.aioloop.core.aio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.aioloop.api.PollParams;
import org.aioloop.core.AioContexts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Adaptive busy polling (util/aio-posix.c try_poll_mode / adjust_polling_time rules). */
class AdaptivePollingTest {
    private static final String BACKENDS = "org.aioloop.core.aio.Contexts#backends";

    private static AioContextImpl open(String backend, PollParams params) {
        return AioContexts.builder().backend(backend).epollUpgradeThreshold(0).pollParams(params).build();
    }

    /** A handler whose poll callback sees the same "work" flag its fd signals. */
    private static final class PolledDevice {
        final TestPipe pipe = new TestPipe();
        final AtomicInteger pending = new AtomicInteger();
        final AtomicInteger viaFd = new AtomicInteger();
        final AtomicInteger viaPoll = new AtomicInteger();

        void register(AioContextImpl ctx, boolean withPoll) {
            ctx.setFdHandler(pipe.rfd, (fd, ev) -> {
                viaFd.incrementAndGet();
                pipe.drain();
                pending.set(0);
            }, null, withPoll ? () -> pending.get() > 0 : null, withPoll ? (fd, ev) -> {
                viaPoll.incrementAndGet();
                pipe.drain();
                pending.set(0);
            } : null);
        }

        void signal() {
            pending.incrementAndGet();
            pipe.write(1);
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void pollingFindsWorkWithoutASystemCallOnceTheWindowGrew(String backend) {
        try (AioContextImpl ctx = open(backend, new PollParams(1_000_000_000L, 0, 0))) {
            PolledDevice d = new PolledDevice();
            d.register(ctx, true);
            ctx.poll(false);
            // first event: the window is 0, so it arrives through the fd and grows the window
            d.signal();
            assertTrue(ctx.poll(true));
            assertEquals(1, d.viaFd.get() + d.viaPoll.get());
            for (int i = 0; i < 50; i++) {
                d.signal();
                assertTrue(ctx.poll(true));
            }
            assertEquals(51, d.viaFd.get() + d.viaPoll.get(), "every event handled exactly once");
            assertTrue(d.viaPoll.get() >= 40, "busy polling found most events: " + d.viaPoll.get());
            assertTrue(ctx.stats().pollHits() >= 40, "pollHits counted: " + ctx.stats().pollHits());
            ctx.removeFdHandler(d.pipe.rfd);
            d.pipe.close();
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void oneHandlerWithoutPollDisablesPollingForAll(String backend) {
        try (AioContextImpl ctx = open(backend, new PollParams(1_000_000_000L, 0, 0))) {
            PolledDevice polled = new PolledDevice();
            PolledDevice plain = new PolledDevice();
            polled.register(ctx, true);
            plain.register(ctx, false);
            for (int i = 0; i < 30; i++) {
                polled.signal();
                assertTrue(ctx.poll(true));
            }
            assertEquals(0, polled.viaPoll.get(), "a polled subset would starve the rest: no polling");
            assertEquals(30, polled.viaFd.get());
            assertEquals(0, ctx.stats().pollHits());
            // removing the non-pollable handler turns polling back on
            ctx.removeFdHandler(plain.pipe.rfd);
            for (int i = 0; i < 30; i++) {
                polled.signal();
                assertTrue(ctx.poll(true));
            }
            assertTrue(polled.viaPoll.get() > 0);
            ctx.removeFdHandler(polled.pipe.rfd);
            polled.pipe.close();
            plain.pipe.close();
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void disabledMeansZeroPollCalls(String backend) {
        try (AioContextImpl ctx = open(backend, PollParams.OFF)) {
            AtomicInteger pollCalls = new AtomicInteger();
            TestPipe p = new TestPipe();
            ctx.setFdHandler(p.rfd, (fd, ev) -> p.drain(), null, () -> {
                pollCalls.incrementAndGet();
                return false;
            }, (fd, ev) -> { });
            for (int i = 0; i < 20; i++) {
                p.write(1);
                ctx.poll(true);
            }
            assertEquals(0, pollCalls.get(), "poll-max-ns 0: not a single poll call");
            // switching it on at run time works, and back off again
            ctx.setPollParams(new PollParams(1_000_000, 0, 0));
            ctx.poll(false);
            for (int i = 0; i < 5; i++) {
                p.write(1);
                ctx.poll(true);
            }
            ctx.setPollParams(PollParams.OFF);
            ctx.poll(false);
            int before = pollCalls.get();
            for (int i = 0; i < 5; i++) {
                p.write(1);
                ctx.poll(true);
            }
            assertEquals(before, pollCalls.get());
            ctx.removeFdHandler(p.rfd);
            p.close();
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void pollReadyIsNotReenteredByANestedPoll(String backend) { // QEMU test-nested-aio-poll (N1)
        try (AioContextImpl ctx = open(backend, new PollParams(1_000_000_000L, 0, 0))) {
            TestPipe p = new TestPipe();
            AtomicInteger depth = new AtomicInteger();
            AtomicInteger maxDepth = new AtomicInteger();
            AtomicInteger readyCalls = new AtomicInteger();
            AtomicInteger work = new AtomicInteger();
            ctx.setFdHandler(p.rfd, (fd, ev) -> {
                p.drain();
                work.set(0);
            }, null, () -> work.get() > 0, (fd, ev) -> {
                readyCalls.incrementAndGet();
                maxDepth.accumulateAndGet(depth.incrementAndGet(), Math::max);
                ctx.poll(false); // the condition is not reset yet: must not recurse into us
                depth.decrementAndGet();
                work.set(0);
                p.drain();
            });
            // grow the window through fd events first
            for (int i = 0; i < 5; i++) {
                work.incrementAndGet();
                p.write(1);
                ctx.poll(true);
            }
            assertTrue(readyCalls.get() > 0, "poll-ready ran");
            assertEquals(1, maxDepth.get(), "never nested into itself");
            ctx.removeFdHandler(p.rfd);
            p.close();
        }
    }

    @org.junit.jupiter.api.Test
    void windowAdjustment() {
        AdaptivePoller poller = new AdaptivePoller(new PollParams(32_000, 0, 0));
        FdHandler h = new FdHandler(3, (f, e) -> { }, null, () -> false, (f, e) -> { }, null, false);
        poller.adjust(h, 10_000);
        assertEquals(4_000, h.pollNs, "starts at 4 us");
        poller.adjust(h, 10_000);
        assertEquals(8_000, h.pollNs, "grows x2 by default");
        poller.adjust(h, 5_000);
        assertEquals(8_000, h.pollNs, "sweet spot: block time within the window");
        poller.adjust(h, 20_000);
        poller.adjust(h, 20_000);
        assertEquals(32_000, h.pollNs, "capped at poll-max-ns");
        poller.adjust(h, 40_000);
        assertEquals(0, h.pollNs, "longer than max: shrink to 0 by default");
        AdaptivePoller p2 = new AdaptivePoller(new PollParams(32_000, 4, 2));
        p2.adjust(h, 10_000);
        p2.adjust(h, 10_000);
        assertEquals(16_000, h.pollNs, "grow x4");
        p2.adjust(h, 100_000);
        assertEquals(8_000, h.pollNs, "shrink /2");
    }
}
