package org.aioloop.core.aio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.aioloop.api.BottomHalf;
import org.aioloop.api.ClockType;
import org.aioloop.api.Timer;
import org.aioloop.core.ManualClockSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The GSource-style steps (QEMU's aio_ctx_prepare/check/dispatch) a parent loop drives. */
class SourceModeTest {
    private static final String BACKENDS = "org.aioloop.core.aio.Contexts#backends";

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void prepareTimeouts(String backend) {
        ManualClockSource clock = new ManualClockSource();
        try (AioContextImpl ctx = Contexts.open(backend, clock)) {
            ctx.poll(false);
            assertEquals(-1, ctx.sourcePrepare(), "nothing pending: infinite");
            ctx.sourceCheck();
            BottomHalf bh = ctx.newBottomHalf("b", () -> { });
            bh.scheduleIdle();
            ctx.poll(false); // accept the kick; the idle BH ran
            bh.scheduleIdle();
            ctx.sourceCheck(); // accept the schedule's kick without dispatching
            assertEquals(BottomHalfList.IDLE_TIMEOUT_NS, ctx.sourcePrepare(), "only an idle BH: 10 ms");
            assertTrue(ctx.sourceCheck());
            assertFalse(ctx.sourceDispatch(), "idle BH: not progress");
            Timer t = ctx.newTimer(ClockType.REALTIME, "t", () -> { });
            t.modNanos(1_500);
            assertEquals(0, ctx.sourcePrepare(), "the arm kicked (new head): prepare says ready");
            assertFalse(ctx.sourceCheck(), "but nothing is due");
            assertEquals(1_500, ctx.sourcePrepare(), "next timer deadline");
            ctx.sourceCheck();
            bh.schedule();
            assertEquals(0, ctx.sourcePrepare(), "a scheduled BH: 0");
            assertTrue(ctx.sourceCheck());
            assertTrue(ctx.sourceDispatch());
            clock.advance(1_500);
            ctx.sourcePrepare();
            assertTrue(ctx.sourceCheck(), "an expired timer");
            assertTrue(ctx.sourceDispatch());
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void checkSeesReadyFdsAndDispatchRunsThem(String backend) {
        try (AioContextImpl ctx = Contexts.open(backend); TestPipe p = new TestPipe()) {
            AtomicInteger reads = countReadsAfterAnIdlePass(ctx, p);
            long v = ctx.registrationVersion();
            Map<Integer, Integer> fds = new HashMap<>();
            ctx.forEachFd(fds::put);
            assertTrue(fds.containsKey(p.rfd) && fds.containsKey(ctx.notifierFd()), fds.toString());
            assertEquals(backend.equals("epoll"), ctx.pollableFd() >= 0);
            p.write(1);
            ctx.sourcePrepare();
            assertTrue(ctx.sourceCheck());
            assertTrue(ctx.sourceDispatch());
            assertEquals(1, reads.get());
            ctx.removeFdHandler(p.rfd);
            assertTrue(ctx.registrationVersion() != v, "a parent re-mirrors the fds when this changes");
        }
    }

    /** A parent that saw none of the child's fds ready lets the check skip the child's own wait. */
    @ParameterizedTest
    @MethodSource(BACKENDS)
    void checkSkipsTheFdsOnlyWhenTheParentSawNoneReady(String backend) {
        try (AioContextImpl ctx = Contexts.open(backend); TestPipe p = new TestPipe()) {
            AtomicInteger reads = countReadsAfterAnIdlePass(ctx, p);
            p.write(1);
            ctx.sourcePrepare();
            assertFalse(ctx.sourceCheck(false), "told that no fd was ready: the fds are not looked at");
            ctx.sourceDispatch();
            assertEquals(0, reads.get());
            ctx.sourcePrepare();
            assertTrue(ctx.sourceCheck(true), "the fd is still ready (level-triggered): found next time");
            assertTrue(ctx.sourceDispatch());
            assertEquals(1, reads.get());
        }
    }

    /** Registers a handler that drains {@code p} and counts its calls, then runs one idle pass. */
    private static AtomicInteger countReadsAfterAnIdlePass(AioContextImpl ctx, TestPipe p) {
        AtomicInteger reads = new AtomicInteger();
        ctx.setFdHandler(p.rfd, (fd, ev) -> {
            reads.incrementAndGet();
            p.drain();
        }, null);
        ctx.sourcePrepare();
        ctx.sourceCheck();
        ctx.sourceDispatch();
        return reads;
    }
}
