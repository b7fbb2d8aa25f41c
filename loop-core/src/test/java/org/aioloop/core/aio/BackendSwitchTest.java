package org.aioloop.core.aio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.aioloop.api.BackendUnavailableException;
import org.aioloop.core.AioContexts;
import org.aioloop.core.BackendRegistry;
import org.junit.jupiter.api.Test;

/** Live backend switching, the poll→epoll upgrade, failures and registry fallback. */
class BackendSwitchTest {

    @Test
    void upgradesFromPollToEpollAt64FdsOnceAndOneWay() {
        List<TestPipe> pipes = new ArrayList<>();
        try (AioContextImpl ctx = AioContexts.builder().name("upgrade").backend("poll").build()) {
            // the notifier is one monitored fd: 62 pipes make 63
            for (int i = 0; i < 62; i++) {
                TestPipe p = new TestPipe();
                pipes.add(p);
                ctx.setFdHandler(p.rfd, (fd, ev) -> { }, null);
            }
            ctx.poll(false);
            assertEquals("poll", ctx.backendName(), "63 fds: below QEMU's EPOLL_ENABLE_THRESHOLD");
            assertEquals(-1, ctx.pollableFd());
            TestPipe last = new TestPipe();
            pipes.add(last);
            AtomicLong reads = new AtomicLong();
            ctx.setFdHandler(last.rfd, (fd, ev) -> {
                reads.incrementAndGet();
                last.drain();
            }, null);
            last.write(1);
            assertTrue(ctx.poll(false));
            assertEquals("epoll", ctx.backendName(), "64 fds: upgraded between two passes");
            assertEquals(1, ctx.stats().backendSwitches());
            assertTrue(ctx.pollableFd() >= 0);
            assertTrue(reads.get() >= 1, "the ready fd was not lost across the upgrade");
            for (int i = 0; i < 40; i++) {
                ctx.removeFdHandler(pipes.get(i).rfd);
            }
            ctx.poll(false);
            assertEquals("epoll", ctx.backendName(), "one-way: no downgrade when fds go away");
            for (TestPipe p : pipes) {
                ctx.removeFdHandler(p.rfd);
            }
        } finally {
            pipes.forEach(TestPipe::close);
        }
    }

    @Test
    void anExplicitSwitchToPollIsNotUndoneByTheUpgrade() throws Exception {
        List<TestPipe> pipes = new ArrayList<>();
        try (AioContextImpl ctx = AioContexts.builder().name("explicit").backend("epoll").build()) {
            for (int i = 0; i < 70; i++) {
                TestPipe p = new TestPipe();
                pipes.add(p);
                ctx.setFdHandler(p.rfd, (fd, ev) -> { }, null);
            }
            ctx.poll(false);
            CompletableFuture<String> done = ctx.switchBackend("poll");
            ctx.poll(false);
            assertEquals("poll", done.get(5, TimeUnit.SECONDS));
            for (int i = 0; i < 3; i++) {
                ctx.poll(false);
            }
            assertEquals("poll", ctx.backendName(), "70 fds, but the operator asked for poll");
            assertEquals(1, ctx.stats().backendSwitches());
        } finally {
            pipes.forEach(TestPipe::close);
        }
    }

    @Test
    void anUpgradeOfThousandsOfFdsFillsOffTheLoop() {
        List<TestPipe> pipes = new ArrayList<>();
        try (AioContextImpl ctx = AioContexts.builder().name("bulk").backend("poll").build()) {
            for (int i = 0; i < MonitorSwitcher.BACKGROUND_FILL_MIN_FDS + 50; i++) {
                TestPipe p = new TestPipe();
                pipes.add(p);
                ctx.setFdHandler(p.rfd, (fd, ev) -> { }, null);
            }
            AtomicReference<String> filler = new AtomicReference<>();
            ctx.switcher().fillStartedHook = () -> filler.set(Thread.currentThread().getName());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!ctx.backendName().equals("epoll") && System.nanoTime() < deadline) {
                ctx.poll(false); // passes go on while the worker fills; one of them swaps
            }
            assertEquals("epoll", ctx.backendName());
            assertEquals(SwitchWorker.THREAD_NAME, filler.get(), "the upgrade's fill ran on the switch worker");
            assertEquals(1, ctx.stats().backendSwitches());
        } finally {
            pipes.forEach(TestPipe::close);
        }
    }

    @Test
    void upgradeCanBeTurnedOff() {
        List<TestPipe> pipes = new ArrayList<>();
        try (AioContextImpl ctx = AioContexts.builder().backend("poll").epollUpgradeThreshold(0).build()) {
            for (int i = 0; i < 70; i++) {
                TestPipe p = new TestPipe();
                pipes.add(p);
                ctx.setFdHandler(p.rfd, (fd, ev) -> { }, null);
            }
            ctx.poll(false);
            assertEquals("poll", ctx.backendName());
        } finally {
            pipes.forEach(TestPipe::close);
        }
    }

    @Test
    void upgradeWaitsWhileNested() {
        List<TestPipe> pipes = new ArrayList<>();
        try (AioContextImpl ctx = AioContexts.builder().backend("poll").build()) {
            for (int i = 0; i < 62; i++) {
                TestPipe p = new TestPipe();
                pipes.add(p);
                ctx.setFdHandler(p.rfd, (fd, ev) -> { }, null);
            }
            ctx.poll(false);
            AtomicReference<String> inNested = new AtomicReference<>();
            ctx.scheduleOneshot(() -> {
                TestPipe p = new TestPipe();
                pipes.add(p);
                ctx.setFdHandler(p.rfd, (fd, ev) -> { }, null);
                ctx.poll(false); // nested: no upgrade here
                inNested.set(ctx.backendName());
            });
            ctx.poll(false);
            assertEquals("poll", inNested.get());
            ctx.poll(false);
            assertEquals("epoll", ctx.backendName(), "done by the next outermost pass");
        } finally {
            pipes.forEach(TestPipe::close);
        }
    }

    @Test
    void failedSwitchStaysOnTheOldBackend() throws Exception {
        BackendRegistry reg = BackendRegistry.fromServiceLoader();
        FailingBackend brokenOpen = new FailingBackend("broken-open", reg.byName("epoll"), -1);
        FailingBackend brokenReplay = new FailingBackend("broken-replay", reg.byName("epoll"), 2);
        reg.add(brokenOpen);
        reg.add(brokenReplay);
        try (AioContextImpl ctx = AioContexts.builder().registry(reg).backend("poll").build(); TestPipe p = new TestPipe()) {
            AtomicLong reads = new AtomicLong();
            ctx.setFdHandler(p.rfd, (fd, ev) -> {
                reads.incrementAndGet();
                p.drain();
            }, null);
            ctx.poll(false);
            for (String name : new String[] {"broken-open", "broken-replay", "no-such-backend"}) {
                CompletableFuture<String> f = ctx.switchBackend(name);
                ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> f.get(5, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof BackendUnavailableException, e.getCause().toString());
                assertTrue(e.getCause().getMessage().contains(name), e.getCause().getMessage());
                assertEquals("poll", ctx.backendName(), "stayed on the old backend");
            }
            assertEquals(1, brokenReplay.closedMonitors.get(), "the half-filled new monitor was closed");
            p.write(1);
            assertTrue(ctx.poll(false));
            assertEquals(1, reads.get(), "registrations still work after failed switches");
            assertEquals(0, ctx.stats().backendSwitches());
        }
    }

    @Test
    void removingTheBackendFallsBackToTheBestRemaining() {
        BackendRegistry reg = BackendRegistry.fromServiceLoader();
        try (AioContextImpl ctx = AioContexts.builder().registry(reg).build(); TestPipe p = new TestPipe()) {
            assertEquals("epoll", ctx.backendName(), "auto = highest rank");
            AtomicLong reads = new AtomicLong();
            ctx.setFdHandler(p.rfd, (fd, ev) -> {
                reads.incrementAndGet();
                p.drain();
            }, null);
            ctx.poll(false);
            p.write(1);
            reg.remove(reg.byName("epoll")); // as a bundle stop would
            assertTrue(ctx.poll(false));
            assertEquals("poll", ctx.backendName());
            assertEquals(1, reads.get(), "the byte written before the switch was delivered");
        }
    }

    @org.junit.jupiter.api.RepeatedTest(3)
    void switchesUnderTrafficLoseNothing() throws Exception {
        final int pipesCount = 8;
        final long perPipe = 200_000;
        try (AioContextImpl ctx = AioContexts.builder().name("traffic").backend("poll").epollUpgradeThreshold(0).build()) {
            List<TestPipe> pipes = new ArrayList<>();
            AtomicLong received = new AtomicLong();
            for (int i = 0; i < pipesCount; i++) {
                TestPipe p = new TestPipe();
                pipes.add(p);
                ctx.setFdHandler(p.rfd, (fd, ev) -> received.addAndGet(p.drain()), null);
            }
            ctx.poll(false);
            AtomicReference<Throwable> writerFailure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    long[] left = new long[pipesCount];
                    java.util.Arrays.fill(left, perPipe);
                    boolean more = true;
                    while (more) {
                        more = false;
                        for (int i = 0; i < pipesCount; i++) {
                            if (left[i] > 0) {
                                left[i] -= pipes.get(i).write((int) Math.min(left[i], 37));
                                more |= left[i] > 0;
                            }
                        }
                    }
                } catch (Throwable t) {
                    writerFailure.set(t);
                }
            }, "traffic-writer");
            List<CompletableFuture<String>> switches = new ArrayList<>();
            java.util.concurrent.atomic.AtomicBoolean switcherDone = new java.util.concurrent.atomic.AtomicBoolean();
            Thread switcher = new Thread(() -> {
                // at least 60 switches, and keep switching as long as traffic flows
                for (int i = 0; (i < 60 || writer.isAlive()) && i < 100_000; i++) {
                    CompletableFuture<String> f = ctx.switchBackend(i % 2 == 0 ? "epoll" : "poll");
                    synchronized (switches) {
                        switches.add(f);
                    }
                    try {
                        f.get(5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        writerFailure.compareAndSet(null, e);
                        break;
                    }
                }
                switcherDone.set(true);
                ctx.kick(); // the loop may be asleep waiting for us
            }, "traffic-switcher");
            writer.start();
            switcher.start();
            long total = pipesCount * perPipe;
            // One watchdog for the whole run bounds a hang (re-arming it per pass would kick the loop
            // every time and hide a lost wakeup).
            AtomicLong watchdogFires = new AtomicLong();
            org.aioloop.api.Timer watchdog = ctx.newTimer(org.aioloop.api.ClockType.REALTIME, "watchdog",
                    watchdogFires::incrementAndGet);
            watchdog.modIn(30, TimeUnit.SECONDS);
            while ((received.get() < total || !switcherDone.get()) && watchdogFires.get() == 0) {
                ctx.poll(true);
            }
            watchdog.close();
            assertEquals(0, watchdogFires.get(), "the run did not finish in 30 s: received " + received.get());
            writer.join(5000);
            switcher.join(5000);
            assertNull(writerFailure.get());
            assertEquals(total, received.get(), "every byte written was read, across all switches");
            assertTrue(switches.size() >= 60);
            assertEquals(switches.size(), ctx.stats().backendSwitches());
            for (CompletableFuture<String> f : switches) {
                assertTrue(f.isDone() && !f.isCompletedExceptionally());
            }
            assertFalse(ctx.poll(false));
            for (TestPipe p : pipes) {
                ctx.removeFdHandler(p.rfd);
                p.close();
            }
        }
    }
}
