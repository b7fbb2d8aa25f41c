package org.aioloop.posix.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.EventNotifier;
import org.aioloop.api.FdRegistrationException;
import org.aioloop.api.InvalidFdException;
import org.aioloop.api.IoEvents;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.api.backend.ReadySet;
import org.aioloop.posix.EventNotifiers;
import org.aioloop.posix.FdCounter;
import org.aioloop.posix.Posix;
import org.aioloop.posix.Sockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link FdMonitor} contract, run against every {@link PollBackend}: subclass it in the
 * backend's tests and return the backend from {@link #backend()}. Covers readiness (IN, OUT, HUP,
 * ERR) of pipes, eventfds, loopback TCP and Unix sockets; modify and remove; timeouts; thousands
 * of fds; an allocation-free steady state; bad input; and fd leaks per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NoFdLeak.class)
public abstract class FdMonitorContract {
    /** An upper sanity bound for waits that should be short; generous for a loaded 2-core box. */
    private static final long SANITY_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** The monitor under test, opened for each test. */
    protected FdMonitor monitor;
    /** A reusable ready set. */
    protected ReadySet ready;
    /** Owns the fds the test creates. */
    protected Fds fds;

    /** @return the backend under test */
    protected abstract PollBackend backend();

    /** @return whether a registered fd that is closed is reported as {@link IoEvents#NVAL} (poll) */
    protected abstract boolean reportsClosedFdAsNval();

    /** @return whether the monitor has a pollable fd of its own (epoll) */
    protected abstract boolean hasPollableFd();

    @BeforeEach
    void open() {
        monitor = backend().open();
        ready = new ReadySet();
        fds = new Fds();
    }

    @AfterEach
    void close() {
        monitor.close();
        fds.close();
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Waits without blocking and returns the ready events of {@code fd} (0 if not reported). */
    protected int poll0(int fd) {
        return eventsOf(fd, monitor.wait(0, ready));
    }

    private int eventsOf(int fd, int n) {
        assertEquals(n, ready.size());
        int found = 0;
        for (int i = 0; i < n; i++) {
            if (ready.fd(i) == fd) {
                assertEquals(0, found, "fd " + fd + " reported twice");
                found = ready.events(i);
                assertTrue(found != 0, "empty event for fd " + fd);
            }
        }
        return found;
    }

    /** Waits (bounded) until {@code fd} is reported and returns its events. */
    protected int awaitEvents(int fd) {
        long deadline = System.nanoTime() + SANITY_NANOS;
        while (System.nanoTime() < deadline) {
            int ev = eventsOf(fd, monitor.wait(100_000_000L, ready));
            if (ev != 0) {
                return ev;
            }
        }
        return fail("fd " + fd + " never became ready");
    }

    private long tokenOf(int fd) {
        for (int i = 0; i < ready.size(); i++) {
            if (ready.fd(i) == fd) {
                return ready.token(i);
            }
        }
        return fail("fd " + fd + " not in the ready set");
    }

    private static void assertHas(int events, int bits) {
        assertEquals(bits, events & bits, "expected " + IoEvents.describe(bits) + " in " + IoEvents.describe(events));
    }

    private static void assertLacks(int events, int bits) {
        assertEquals(0, events & bits, "unexpected " + IoEvents.describe(bits) + " in " + IoEvents.describe(events));
    }

    // ---- basics ------------------------------------------------------------------------------

    @Test
    void backendDescribesItself() {
        PollBackend b = backend();
        assertTrue(b.isAvailable(), b.unavailableReason());
        assertEquals(b.name(), monitor.backendName());
        assertEquals(0, monitor.size());
        if (hasPollableFd()) {
            assertTrue(Posix.isOpen(monitor.pollableFd()), "pollable fd is open");
        } else {
            assertEquals(-1, monitor.pollableFd());
        }
    }

    @Test
    void emptyMonitorWaitsAndReportsNothing() {
        assertEquals(0, monitor.wait(0, ready));
        assertEquals(0, monitor.wait(1_000_000L, ready));
        assertEquals(0, ready.size());
    }

    // ---- readiness ---------------------------------------------------------------------------

    @Test
    void pipeReadEndIsReadableWhileDataIsThereLevelTriggered() {
        int[] p = fds.pipe();
        monitor.add(p[0], IoEvents.IN, 7);
        assertTrue(monitor.contains(p[0]));
        assertEquals(1, monitor.size());
        assertEquals(0, poll0(p[0]));
        fds.write(p[1], 3);
        assertHas(awaitEvents(p[0]), IoEvents.IN);
        assertEquals(7, tokenOf(p[0]));
        // Level-triggered: reported again until drained.
        assertHas(poll0(p[0]), IoEvents.IN);
        assertHas(poll0(p[0]), IoEvents.IN);
        assertEquals(3, fds.drain(p[0]));
        assertEquals(0, poll0(p[0]));
    }

    @Test
    void pipeWriteEndIsWritable() {
        int[] p = fds.pipe();
        monitor.add(p[1], IoEvents.OUT, 9);
        int ev = poll0(p[1]);
        assertHas(ev, IoEvents.OUT);
        assertLacks(ev, IoEvents.IN);
        assertEquals(9, tokenOf(p[1]));
    }

    @Test
    void pipeReadEndHangsUpWhenWriterCloses() {
        int[] p = fds.pipe();
        monitor.add(p[0], IoEvents.IN, 1);
        fds.closeNow(p[1]);
        assertHas(awaitEvents(p[0]), IoEvents.HUP);
    }

    @Test
    void pipeWriteEndErrsWhenReaderCloses() {
        int[] p = fds.pipe();
        monitor.add(p[1], IoEvents.OUT, 1);
        fds.closeNow(p[0]);
        assertHas(awaitEvents(p[1]), IoEvents.ERR);
    }

    @Test
    void eventNotifierIsReadableOnlyWhileSet() {
        try (EventNotifier n = EventNotifiers.create()) {
            monitor.add(n.readFd(), IoEvents.IN, 42);
            assertEquals(0, poll0(n.readFd()));
            n.set();
            assertHas(awaitEvents(n.readFd()), IoEvents.IN);
            assertEquals(42, tokenOf(n.readFd()));
            assertTrue(n.testAndClear());
            assertEquals(0, poll0(n.readFd()));
            monitor.remove(n.readFd());
        }
    }

    @Test
    void edgeTriggeredHintIsHonouredOrLevelTriggered() {
        try (EventNotifier n = EventNotifiers.create()) {
            int fd = n.readFd();
            monitor.add(fd, IoEvents.IN | FdMonitor.EDGE_TRIGGERED, 7);
            assertEquals(0, poll0(fd));
            n.set();
            assertHas(awaitEvents(fd), IoEvents.IN);
            assertEquals(7, tokenOf(fd));
            if (monitor.honoursEdgeTriggered()) {
                // Never drained: reported once per set, not on every wait.
                assertEquals(0, poll0(fd), "an edge-triggered fd was reported twice for one set");
                n.set();
                assertHas(awaitEvents(fd), IoEvents.IN);
                assertEquals(0, poll0(fd));
                // A modify keeps it edge-triggered and re-arms it (epoll reports a ready fd once).
                monitor.modify(fd, IoEvents.IN | FdMonitor.EDGE_TRIGGERED, 8);
                assertHas(awaitEvents(fd), IoEvents.IN);
                assertEquals(8, tokenOf(fd));
                assertEquals(0, poll0(fd));
            } else {
                // Level-triggered: reported until drained.
                assertHas(poll0(fd), IoEvents.IN);
                assertTrue(n.testAndClear());
                assertEquals(0, poll0(fd));
            }
            monitor.remove(fd);
        }
    }

    @Test
    void edgeTriggeredAloneIsNoInterest() {
        int e = sentinel();
        int[] p = fds.pipe();
        InvalidFdException x = assertThrows(InvalidFdException.class,
                () -> monitor.add(p[0], FdMonitor.EDGE_TRIGGERED, 1));
        assertEquals(p[0], x.fd());
        assertTrue(x.getMessage().contains("EDGE_TRIGGERED"), x.getMessage());
        assertFalse(monitor.contains(p[0]));
        assertSentinelIntact(e);
    }

    @Test
    void pipeNotifierIsReadableOnlyWhileSet() {
        try (EventNotifier n = EventNotifiers.createPipe()) {
            monitor.add(n.readFd(), IoEvents.IN, 43);
            assertEquals(0, poll0(n.readFd()));
            n.set();
            assertHas(awaitEvents(n.readFd()), IoEvents.IN);
            assertTrue(n.testAndClear());
            assertEquals(0, poll0(n.readFd()));
            monitor.remove(n.readFd());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void tcpSocketIsWritableThenReadable(String host) {
        int[] pair = fds.tcpPair(host);
        monitor.add(pair[0], IoEvents.IN | IoEvents.OUT, 100);
        monitor.add(pair[1], IoEvents.IN, 101);
        int ev = awaitEvents(pair[0]);
        assertHas(ev, IoEvents.OUT);
        assertLacks(ev, IoEvents.IN);
        assertEquals(0, poll0(pair[1]));
        fds.write(pair[0], 10);
        assertHas(awaitEvents(pair[1]), IoEvents.IN);
        assertEquals(101, tokenOf(pair[1]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void tcpSocketHangsUpWhenBothDirectionsAreShut(String host) {
        int[] pair = fds.tcpPair(host);
        monitor.add(pair[0], IoEvents.IN, 1);
        Sockets.shutdown(pair[0], Sockets.SHUT_WR);
        fds.closeNow(pair[1]);
        int ev = awaitEvents(pair[0]);
        long deadline = System.nanoTime() + SANITY_NANOS;
        while ((ev & IoEvents.HUP) == 0 && System.nanoTime() < deadline) {
            ev = awaitEvents(pair[0]); // FIN first (IN), the HUP follows
        }
        assertHas(ev, IoEvents.HUP);
    }

    /** Closing a socket with unread data sends a RST: the peer sees ERR (ECONNRESET) and HUP. */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void tcpSocketErrsWhenThePeerResets(String host) {
        int[] pair = fds.tcpPair(host);
        fds.write(pair[0], 16);
        monitor.add(pair[1], IoEvents.IN, 2);
        awaitEvents(pair[1]); // the data arrived and stays unread
        monitor.remove(pair[1]);
        monitor.add(pair[0], IoEvents.IN, 3);
        fds.closeNow(pair[1]);
        int ev = awaitEvents(pair[0]);
        assertHas(ev, IoEvents.ERR | IoEvents.HUP);
        assertEquals(org.aioloop.posix.Errno.ECONNRESET, Sockets.soError(pair[0]));
    }

    /** A non-blocking connect to a closed port reports ERR|HUP (or fails at once with ECONNREFUSED). */
    @Test
    void refusedConnectReportsErrAndHup() {
        int listener = Sockets.listenTcp("127.0.0.1", 0, 1);
        int port = Sockets.localPort(listener);
        Posix.close(listener);
        int fd = fds.track(Sockets.socket(Sockets.AF_INET, Sockets.SOCK_STREAM, 0));
        try {
            Sockets.connect(fd, new java.net.InetSocketAddress("127.0.0.1", port));
        } catch (org.aioloop.api.NativeCallException refusedAtOnce) {
            assertEquals("ECONNREFUSED", refusedAtOnce.errnoName());
            return;
        }
        monitor.add(fd, IoEvents.OUT, 4);
        int ev = awaitEvents(fd);
        assertHas(ev, IoEvents.ERR | IoEvents.HUP);
        assertEquals(org.aioloop.posix.Errno.ECONNREFUSED, Sockets.soError(fd));
    }

    @Test
    void unixSocketsThroughASocketFile(@TempDir Path dir) {
        Path file = dir.resolve("contract.sock");
        int listener = fds.track(Sockets.listenUnix(file, 4));
        monitor.add(listener, IoEvents.IN, 10);
        assertEquals(0, poll0(listener));
        int client = fds.track(Sockets.connectUnix(file));
        assertHas(awaitEvents(listener), IoEvents.IN);
        int server = fds.track(Fds.acceptWithin(listener));
        monitor.add(client, IoEvents.IN | IoEvents.OUT, 11);
        monitor.add(server, IoEvents.IN, 12);
        assertHas(awaitEvents(client), IoEvents.OUT);
        fds.write(client, 4);
        assertHas(awaitEvents(server), IoEvents.IN);
        fds.closeNow(client);
        assertHas(awaitEvents(server), IoEvents.HUP);
    }

    @Test
    void socketpairHangsUpWhenThePeerCloses() {
        int[] pair = fds.socketpair();
        monitor.add(pair[0], IoEvents.IN | IoEvents.OUT, 5);
        int ev = poll0(pair[0]);
        assertHas(ev, IoEvents.OUT);
        assertLacks(ev, IoEvents.IN | IoEvents.HUP);
        fds.closeNow(pair[1]);
        assertHas(awaitEvents(pair[0]), IoEvents.HUP);
    }

    // ---- modify and remove -------------------------------------------------------------------

    @Test
    void modifyChangesInterestAndToken() {
        int[] p = fds.pipe();
        fds.write(p[1], 1);
        monitor.add(p[0], IoEvents.IN, 1);
        assertHas(awaitEvents(p[0]), IoEvents.IN);
        assertEquals(1, tokenOf(p[0]));
        monitor.modify(p[0], IoEvents.OUT, 2);
        assertEquals(0, poll0(p[0]), "a pipe's read end is never writable");
        monitor.modify(p[0], IoEvents.IN, 3);
        assertHas(poll0(p[0]), IoEvents.IN);
        assertEquals(3, tokenOf(p[0]));
        monitor.modify(p[0], IoEvents.IN, 4);
        poll0(p[0]);
        assertEquals(4, tokenOf(p[0]), "a token-only change is seen");
        assertEquals(1, monitor.size());
    }

    @Test
    void removeStopsReportsAndAllowsReAdding() {
        int[] p = fds.pipe();
        int e = fds.eventfd();
        fds.write(p[1], 1);
        fds.signal(e);
        monitor.add(p[0], IoEvents.IN, 1);
        monitor.add(e, IoEvents.IN, 2);
        assertEquals(2, monitor.wait(0, ready));
        monitor.remove(p[0]);
        assertFalse(monitor.contains(p[0]));
        assertEquals(1, monitor.size());
        assertEquals(0, poll0(p[0]));
        assertHas(poll0(e), IoEvents.IN);
        monitor.add(p[0], IoEvents.IN, 5);
        assertHas(poll0(p[0]), IoEvents.IN);
        assertEquals(5, tokenOf(p[0]));
        assertEquals(2, monitor.size());
    }

    @Test
    void removeWorksAfterTheFdWasClosed() {
        int[] p = fds.pipe();
        int e = fds.eventfd();
        fds.signal(e);
        monitor.add(p[0], IoEvents.IN, 1);
        monitor.add(e, IoEvents.IN, 2);
        fds.closeNow(p[0]);
        monitor.remove(p[0]);
        assertFalse(monitor.contains(p[0]));
        assertEquals(1, monitor.size());
        assertEquals(1, monitor.wait(0, ready));
        assertEquals(e, ready.fd(0));
    }

    @Test
    void aClosedRegisteredFdIsReportedAsNvalOrDropped() {
        int[] p = fds.pipe();
        monitor.add(p[0], IoEvents.IN, 1);
        fds.closeNow(p[0]);
        int ev = poll0(p[0]);
        if (reportsClosedFdAsNval()) {
            assertHas(ev, IoEvents.NVAL);
        } else {
            assertEquals(0, ev, "epoll drops a closed fd silently");
        }
        monitor.remove(p[0]);
    }

    // ---- timeouts ----------------------------------------------------------------------------

    @Test
    void zeroTimeoutReturnsAtOnce() {
        int[] p = fds.pipe();
        monitor.add(p[0], IoEvents.IN, 1);
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            assertEquals(0, monitor.wait(0, ready));
            long took = System.nanoTime() - t0;
            assertTrue(took < 250_000_000L, "wait(0) took " + took + " ns");
        }
    }

    @Test
    void fiveMillisecondTimeoutWaitsAtLeastFiveMilliseconds() {
        int[] p = fds.pipe();
        monitor.add(p[0], IoEvents.IN, 1);
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            assertEquals(0, monitor.wait(5_000_000L, ready));
            long took = System.nanoTime() - t0;
            assertTrue(took >= 5_000_000L, "wait(5 ms) returned after " + took + " ns");
            assertTrue(took < SANITY_NANOS, "wait(5 ms) took " + took + " ns");
        }
    }

    /** A sub-millisecond timeout is honoured with ns precision: not 0 (busy loop). */
    @Test
    void subMillisecondTimeoutWaitsAtLeastThatLong() {
        int[] p = fds.pipe();
        monitor.add(p[0], IoEvents.IN, 1);
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            assertEquals(0, monitor.wait(300_000L, ready));
            long took = System.nanoTime() - t0;
            assertTrue(took >= 300_000L, "wait(300 us) returned after " + took + " ns");
            assertTrue(took < SANITY_NANOS, "wait(300 us) took " + took + " ns");
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void infiniteWaitReturnsWhenAnotherThreadSetsANotifier() throws Exception {
        try (EventNotifier n = EventNotifiers.create()) {
            monitor.add(n.readFd(), IoEvents.IN, 77);
            CountDownLatch started = new CountDownLatch(1);
            Thread setter = new Thread(() -> {
                try {
                    started.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                n.set();
            });
            setter.start();
            started.countDown();
            assertEquals(1, monitor.wait(-1, ready));
            assertEquals(77, ready.token(0));
            setter.join(5_000);
            monitor.remove(n.readFd());
        }
    }

    // ---- scale and allocation ----------------------------------------------------------------

    @Test
    void thousandsOfFdsWithExactlyOneReady() {
        int headroom = Posix.openFileLimit() - FdCounter.openFds() - 200;
        int count = Math.min(10_000, headroom);
        assertTrue(count >= 4_000, "RLIMIT_NOFILE leaves room for only " + count + " fds; need 4000");
        int[] efds = new int[count];
        for (int i = 0; i < count; i++) {
            efds[i] = fds.eventfd();
            monitor.add(efds[i], IoEvents.IN, 1_000_000L + i);
        }
        assertEquals(count, monitor.size());
        assertEquals(0, monitor.wait(0, ready));
        int k = count / 2 + 17;
        fds.signal(efds[k]);
        assertEquals(1, monitor.wait(SANITY_NANOS, ready));
        assertEquals(efds[k], ready.fd(0));
        assertEquals(1_000_000L + k, ready.token(0));
        // Remove every other fd (exercises the poll backend's swap-with-last) and check again.
        for (int i = 0; i < count; i += 2) {
            if (i != k) {
                monitor.remove(efds[i]);
            }
        }
        int last = count - 1 - ((count - 1) % 2 == 0 ? 1 : 0);
        fds.signal(efds[last]);
        assertEquals(2, monitor.wait(0, ready));
        BitSet seen = new BitSet();
        for (int i = 0; i < 2; i++) {
            int idx = (int) (ready.token(i) - 1_000_000L);
            assertEquals(efds[idx], ready.fd(i));
            seen.set(idx);
        }
        assertTrue(seen.get(k) && seen.get(last), seen.toString());
    }

    @Test
    void manyReadyFdsAreAllReportedAcrossWaits() {
        int count = 300;
        ReadySet small = new ReadySet(4);
        BitSet seen = new BitSet();
        for (int i = 0; i < count; i++) {
            int e = fds.eventfd();
            fds.signal(e);
            monitor.add(e, IoEvents.IN, i);
        }
        for (int round = 0; round < 10 && seen.cardinality() < count; round++) {
            int n = monitor.wait(0, small);
            assertTrue(n > 0);
            for (int i = 0; i < n; i++) {
                seen.set((int) small.token(i));
            }
        }
        assertEquals(count, seen.cardinality());
    }

    @Test
    void steadyStateWaitAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int e = fds.eventfd();
        fds.signal(e); // stays readable: every wait reports one event
        int[] p = fds.pipe();
        monitor.add(e, IoEvents.IN, 1);
        monitor.add(p[0], IoEvents.IN, 2);
        monitor.add(p[1], IoEvents.OUT, 3);
        ReadySet set = ready;
        // Odd waits take a positive timeout (returns at once: fds are ready) to cover the timespec
        // paths (ppoll, epoll_pwait2), even ones the non-blocking path.
        for (int i = 0; i < 20_000; i++) {
            monitor.wait((i & 1) == 0 ? 0 : 1_000_000_000L, set);
        }
        int capacity = set.capacity();
        long tid = Thread.currentThread().getId();
        int n = 10_000;
        long sum = 0;
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < n; i++) {
            sum += monitor.wait((i & 1) == 0 ? 0 : 1_000_000_000L, set);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertEquals(2L * n, sum, "each wait reports the eventfd and the pipe's write end");
        assertSame(set, ready);
        assertEquals(capacity, set.capacity());
        if (allocated / (double) n >= 1.0) {
            fail("wait allocated " + allocated + " bytes over " + n + " calls");
        }
    }

    /**
     * Random add/modify/remove against a plain map as the model: after every step the monitor
     * reports exactly the registered, signalled fds whose interest includes IN, with their current
     * tokens. Exercises slot reuse and swap-with-last removal. Seeded, so a failure reproduces.
     */
    @Test
    void randomRegistrationChangesMatchAModel() {
        java.util.Random random = new java.util.Random(20261129L);
        int count = 64;
        int[] efds = new int[count];
        boolean[] signalled = new boolean[count];
        for (int i = 0; i < count; i++) {
            efds[i] = fds.eventfd();
            signalled[i] = random.nextBoolean();
            if (signalled[i]) {
                fds.signal(efds[i]);
            }
        }
        java.util.Map<Integer, long[]> model = new java.util.HashMap<>(); // index -> {interest, token}
        for (int step = 0; step < 3_000; step++) {
            int i = random.nextInt(count);
            int interest = random.nextBoolean() ? IoEvents.IN : IoEvents.OUT | IoEvents.PRI;
            long token = random.nextLong();
            if (!model.containsKey(i)) {
                monitor.add(efds[i], interest, token);
                model.put(i, new long[] {interest, token});
            } else if (random.nextInt(3) == 0) {
                monitor.modify(efds[i], interest, token);
                model.put(i, new long[] {interest, token});
            } else {
                monitor.remove(efds[i]);
                model.remove(i);
            }
            assertEquals(model.size(), monitor.size());
            if (step % 10 == 0) {
                java.util.Map<Integer, Long> expected = new java.util.HashMap<>();
                for (java.util.Map.Entry<Integer, long[]> e : model.entrySet()) {
                    int idx = e.getKey();
                    int in = (int) e.getValue()[0] & IoEvents.IN;
                    boolean out = ((int) e.getValue()[0] & IoEvents.OUT) != 0; // an eventfd is always writable
                    if ((in != 0 && signalled[idx]) || out) {
                        expected.put(efds[idx], e.getValue()[1]);
                    }
                }
                int n = monitor.wait(0, ready);
                java.util.Map<Integer, Long> actual = new java.util.HashMap<>();
                for (int k = 0; k < n; k++) {
                    actual.put(ready.fd(k), ready.token(k));
                }
                assertEquals(expected, actual, "step " + step);
            }
        }
    }

    // ---- bad input ---------------------------------------------------------------------------

    /** Registers an always-ready eventfd; {@link #assertSentinelIntact(int)} checks it still fires. */
    private int sentinel() {
        int e = fds.eventfd();
        fds.signal(e);
        monitor.add(e, IoEvents.IN, 999);
        return e;
    }

    private void assertSentinelIntact(int e) {
        assertEquals(1, monitor.size());
        assertTrue(monitor.contains(e));
        assertHas(poll0(e), IoEvents.IN);
        assertEquals(999, tokenOf(e));
    }

    @Test
    void negativeFdIsRejected() {
        int e = sentinel();
        InvalidFdException x = assertThrows(InvalidFdException.class, () -> monitor.add(-1, IoEvents.IN, 1));
        assertEquals(-1, x.fd());
        assertTrue(x.getMessage().contains("-1"), x.getMessage());
        assertThrows(InvalidFdException.class, () -> monitor.modify(-3, IoEvents.IN, 1));
        assertThrows(InvalidFdException.class, () -> monitor.remove(-3));
        assertFalse(monitor.contains(-1));
        assertSentinelIntact(e);
    }

    @Test
    void closedFdIsRejected() {
        int e = sentinel();
        int[] p = fds.pipe();
        fds.closeNow(p[0]);
        InvalidFdException x = assertThrows(InvalidFdException.class, () -> monitor.add(p[0], IoEvents.IN, 1));
        assertEquals(p[0], x.fd());
        assertTrue(x.getMessage().contains(String.valueOf(p[0])), x.getMessage());
        assertFalse(monitor.contains(p[0]));
        assertSentinelIntact(e);
    }

    @Test
    void addingTwiceIsRejected() {
        int e = sentinel();
        FdRegistrationException x = assertThrows(FdRegistrationException.class, () -> monitor.add(e, IoEvents.OUT, 5));
        assertEquals(e, x.fd());
        assertSentinelIntact(e); // interest and token unchanged
    }

    @Test
    void modifyingAnFdNeverAddedIsRejected() {
        int e = sentinel();
        int[] p = fds.pipe();
        FdRegistrationException x = assertThrows(FdRegistrationException.class, () -> monitor.modify(p[0], IoEvents.IN, 1));
        assertEquals(p[0], x.fd());
        assertFalse(monitor.contains(p[0]));
        assertSentinelIntact(e);
    }

    @Test
    void removingAnFdNeverAddedIsRejected() {
        int e = sentinel();
        int[] p = fds.pipe();
        FdRegistrationException x = assertThrows(FdRegistrationException.class, () -> monitor.remove(p[0]));
        assertEquals(p[0], x.fd());
        // Twice removed is the same mistake.
        monitor.add(p[0], IoEvents.IN, 1);
        monitor.remove(p[0]);
        assertThrows(FdRegistrationException.class, () -> monitor.remove(p[0]));
        assertSentinelIntact(e);
    }

    @Test
    void emptyEventMaskIsRejected() {
        int e = sentinel();
        int[] p = fds.pipe();
        InvalidFdException x = assertThrows(InvalidFdException.class, () -> monitor.add(p[0], 0, 1));
        assertEquals(p[0], x.fd());
        assertFalse(monitor.contains(p[0]));
        InvalidFdException y = assertThrows(InvalidFdException.class, () -> monitor.modify(e, 0, 1));
        assertEquals(e, y.fd());
        assertSentinelIntact(e); // the failed modify kept interest and token
    }

    @Test
    void modifyOfAClosedFdIsRejectedAndKeepsOthers() {
        int e = sentinel();
        int[] p = fds.pipe();
        monitor.add(p[0], IoEvents.IN, 1);
        fds.closeNow(p[0]);
        InvalidFdException x = assertThrows(InvalidFdException.class, () -> monitor.modify(p[0], IoEvents.IN, 2));
        assertEquals(p[0], x.fd());
        monitor.remove(p[0]);
        assertSentinelIntact(e);
    }

    // ---- close -------------------------------------------------------------------------------

    @Test
    void closeIsIdempotentAndLaterUseSaysClosed() {
        int[] p = fds.pipe();
        monitor.add(p[0], IoEvents.IN, 1);
        monitor.close();
        monitor.close();
        assertTrue(Posix.isOpen(p[0]), "closing the monitor leaves monitored fds open");
        assertEquals(0, monitor.size());
        assertFalse(monitor.contains(p[0]));
        assertThrows(ContextClosedException.class, () -> monitor.wait(0, ready));
        assertThrows(ContextClosedException.class, () -> monitor.add(p[1], IoEvents.OUT, 1));
        assertNotNull(monitor.backendName());
    }

    @Test
    void openingManyMonitorsLeaksNothing() {
        int before = FdCounter.openFds();
        for (int i = 0; i < 200; i++) {
            FdMonitor m = backend().open();
            int[] p = fds.pipe();
            m.add(p[0], IoEvents.IN, i);
            m.wait(0, ready);
            m.close();
            fds.closeNow(p[0]);
            fds.closeNow(p[1]);
        }
        assertTrue(FdCounter.awaitAtMost(before, java.time.Duration.ofSeconds(2)) <= before, "fds leaked: more open than the " + before + " before");
    }
}
