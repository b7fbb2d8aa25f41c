package org.aioloop.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.EventNotifier;
import org.aioloop.posix.testing.NoFdLeak;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** What every {@link EventNotifier} must do; run against the eventfd and the pipe implementation. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NoFdLeak.class)
abstract class EventNotifierContract {
    private EventNotifier notifier;
    private Timespec timespec;
    private NativeBuffer pollfd;

    /** @return a fresh notifier of the kind under test */
    abstract EventNotifier newNotifier();

    @BeforeEach
    void open() {
        notifier = newNotifier();
        timespec = new Timespec();
        pollfd = NativeBuffer.allocate(PollFdLayout.SIZE);
    }

    @AfterEach
    void close() {
        notifier.close();
        timespec.close();
        pollfd.close();
    }

    private boolean readable(EventNotifier n) {
        pollfd.putInt(PollFdLayout.FD_OFFSET, n.readFd());
        pollfd.putShort(PollFdLayout.EVENTS_OFFSET, Posix.POLLIN);
        pollfd.putShort(PollFdLayout.REVENTS_OFFSET, (short) 0);
        int r = Posix.ppoll(pollfd.address(), 1, 0, timespec);
        return r == 1 && (pollfd.getShort(PollFdLayout.REVENTS_OFFSET) & Posix.POLLIN) != 0;
    }

    @Test
    void freshNotifierIsNotSet() {
        assertFalse(notifier.isClosed());
        assertFalse(readable(notifier));
        assertFalse(notifier.testAndClear());
    }

    @Test
    void setMakesReadableAndTestAndClearDrains() {
        notifier.set();
        assertTrue(readable(notifier));
        assertTrue(notifier.testAndClear());
        assertFalse(readable(notifier));
        assertFalse(notifier.testAndClear());
    }

    @Test
    void repeatedSetsCoalesceIntoOneClear() {
        for (int i = 0; i < 1000; i++) {
            notifier.set();
        }
        assertTrue(notifier.testAndClear());
        assertFalse(notifier.testAndClear());
        assertFalse(readable(notifier));
    }

    @Test
    void concurrentSetFromFourThreadsIsSeenAndDrainedOnce() throws Exception {
        int threads = 4;
        int perThread = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        notifier.set();
                    }
                    return null;
                }));
            }
            int cleared = 0;
            while (!allDone(done)) {
                if (notifier.testAndClear()) {
                    cleared++;
                }
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
            // Whatever the interleaving, every set after the last clear is still pending.
            if (notifier.testAndClear()) {
                cleared++;
            }
            assertTrue(cleared >= 1, "the sets were never observed");
            assertFalse(notifier.testAndClear());
            assertFalse(readable(notifier));
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    private static boolean allDone(List<Future<?>> futures) {
        for (Future<?> f : futures) {
            if (!f.isDone()) {
                return false;
            }
        }
        return true;
    }

    @Test
    void closeIsIdempotentAndSetAfterCloseThrows() {
        notifier.set();
        notifier.close();
        assertTrue(notifier.isClosed());
        notifier.close();
        assertTrue(notifier.isClosed());
        ContextClosedException e = assertThrows(ContextClosedException.class, notifier::set);
        assertTrue(e.getMessage().contains(String.valueOf(notifier.readFd())), e.getMessage());
        assertFalse(notifier.testAndClear());
    }

    @Test
    void closeReleasesTheFds() {
        int before = FdCounter.openFds();
        EventNotifier n = newNotifier();
        int fd = n.readFd();
        assertTrue(Posix.isOpen(fd));
        assertTrue(FdCounter.openFds() > before);
        n.close();
        assertTrue(FdCounter.awaitAtMost(before, java.time.Duration.ofSeconds(2)) <= before, "fds leaked: more open than the " + before + " before");
    }

    /** set() racing close(): each set either works or says closed; none writes to a closed fd. */
    @Test
    void setRacingCloseNeverFailsWithNativeError() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 50; round++) {
                EventNotifier n = newNotifier();
                CyclicBarrier start = new CyclicBarrier(5);
                AtomicBoolean stop = new AtomicBoolean();
                List<Future<?>> setters = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    setters.add(pool.submit(() -> {
                        start.await();
                        while (!stop.get()) {
                            try {
                                n.set();
                                n.testAndClear();
                            } catch (ContextClosedException expected) {
                                return null;
                            }
                        }
                        return null;
                    }));
                }
                start.await();
                n.close();
                stop.set(true);
                for (Future<?> f : setters) {
                    f.get(10, TimeUnit.SECONDS); // rethrows a NativeCallException (EBADF) if one happened
                }
                assertTrue(n.isClosed());
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void setAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) {
            notifier.set();
            if ((i & 1023) == 0) {
                notifier.testAndClear();
            }
        }
        notifier.testAndClear();
        int n = 10_000;
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < n; i++) {
            notifier.set();
            if ((i & 1023) == 0) {
                notifier.testAndClear();
            }
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        if (allocated / (double) n >= 1.0) {
            fail("set() allocated " + allocated + " bytes over " + n + " calls");
        }
    }
}
