package org.aioloop.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.aioloop.api.AioContext;
import org.aioloop.api.BackendUnavailableException;
import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.PollParams;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.device.DeviceState;
import org.aioloop.api.host.BackendInfo;
import org.aioloop.core.BackendRegistry;
import org.aioloop.posix.FdCounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The host with the real loop, real backends (poll and epoll via ServiceLoader) and real fds. */
class LoopHostTest {
    private BackendRegistry registry;
    private PollBackend poll;
    private PollBackend epoll;
    private LoopHostImpl host;

    @BeforeEach
    void start() {
        registry = BackendRegistry.fromServiceLoader();
        poll = registry.require("poll");
        epoll = registry.require("epoll");
        host = LoopHosts.builder().registry(registry).build();
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void runsTheMainLoopOnItsOwnThreadWithMainAndIohandler() {
        List<String> names = new ArrayList<>();
        for (AioContext c : host.contexts()) {
            names.add(c.name());
            assertEquals(LoopHostImpl.MAIN_THREAD, c.homeThread().getName());
            assertEquals("epoll", c.backendName(), "auto picks the highest rank");
        }
        assertEquals(List.of("main", "iohandler"), names);
        assertTrue(host.mainLoop().isRunning());
        BackendInfo e = host.backends().stream().filter(b -> b.name().equals("epoll")).findFirst().orElseThrow();
        assertTrue(e.usedBy().containsAll(List.of("main", "iohandler")), e.toString());
    }

    @Test
    void trafficOnTheMainContextSurvivesBackendChurnWithoutLosingAByte() throws Exception {
        trafficSurvivesBackendChurn(AioContext.MAIN, LoopHostImpl.MAIN_THREAD);
    }

    @Test
    void trafficOnAnIOThreadSurvivesBackendChurnWithoutLosingAByte() throws Exception {
        host.addIOThread("io1", PollParams.DEFAULT, 0, 2);
        trafficSurvivesBackendChurn("io1", "IO io1");
    }

    private void trafficSurvivesBackendChurn(String contextName, String threadName) throws Exception {
        PipeCounterDevice dev = new PipeCounterDevice("pipe");
        host.addDevice(dev, Map.of(DeviceHandler.PROP_CONTEXT, contextName));
        assertTrue(dev.attached.await(5, TimeUnit.SECONDS));
        assertEquals(threadName, dev.attachThread.getName());

        final int total = 20_000;
        Thread writer = new Thread(() -> {
            ByteBuffer one = ByteBuffer.allocateDirect(1);
            for (int i = 0; i < total; i++) {
                dev.send(one);
            }
        }, "test-writer");
        writer.start();
        for (int round = 0; round < 5; round++) {
            host.removeBackend(epoll);
            for (AioContext c : host.contexts()) {
                assertEquals("poll", c.backendName(), "after epoll left, round " + round);
            }
            host.addBackend(epoll);
            await(() -> host.contexts().stream().allMatch(c -> c.backendName().equals("epoll")));
            host.switchBackend(null, "poll").get(5, TimeUnit.SECONDS);
            host.switchBackend(null, "auto").get(5, TimeUnit.SECONDS);
        }
        writer.join(10_000);
        assertFalse(writer.isAlive());
        try {
            await(() -> dev.received() == total);
        } catch (AssertionError e) {
            AioContext main = host.context(contextName);
            throw new AssertionError("received " + dev.received() + " of " + total + "; main on "
                    + main.backendName() + ", handlers " + main.snapshot().handlers() + ", stats " + main.stats(), e);
        }
        assertEquals(List.of(), host.removeDevice(dev).leaked());
    }

    @Test
    void aStickyChoiceOutlivesBackendChurn() throws Exception {
        List<String> lines = host.switchBackend(AioContext.MAIN, "poll").get(5, TimeUnit.SECONDS);
        assertEquals(List.of("main: poll"), lines);
        host.removeBackend(epoll);
        host.addBackend(epoll);
        await(() -> host.context(AioContext.IOHANDLER).backendName().equals("epoll"));
        assertEquals("poll", host.context(AioContext.MAIN).backendName(), "main was switched by hand and stays");
    }

    @Test
    void unknownBackendsAndContextsAreRefusedWithTypedErrors() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> host.switchBackend(null, "kqueue").get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof BackendUnavailableException, e.getCause().toString());
        assertTrue(e.getCause().getMessage().contains("kqueue"));
        ExecutionException bad = assertThrows(ExecutionException.class,
                () -> host.switchBackend(null, "EPOLL; rm").get(5, TimeUnit.SECONDS));
        assertTrue(bad.getCause() instanceof InvalidConfigurationException);
        assertThrows(ExecutionException.class, () -> host.switchBackend("nope", "poll").get(5, TimeUnit.SECONDS));
        for (AioContext c : host.contexts()) {
            assertEquals("epoll", c.backendName(), "nothing moved");
        }
    }

    @Test
    void aDeviceForAnIOThreadWaitsForItAndFollowsItsLifeCycle() throws Exception {
        PipeCounterDevice dev = new PipeCounterDevice("disk");
        host.addDevice(dev, Map.of(DeviceHandler.PROP_CONTEXT, "io1"));
        assertEquals(DeviceState.PENDING, host.devices().get(0).state());

        AioContext io1 = host.addIOThread("io1", PollParams.DEFAULT, 0, 4);
        assertTrue(dev.attached.await(5, TimeUnit.SECONDS));
        assertSame(io1.homeThread(), dev.attachThread);
        assertEquals("IO io1", host.iothreads().get(0).threadName());
        assertEquals(List.of("main", "iohandler", "io1"), host.contexts().stream().map(AioContext::name).toList());

        InvalidConfigurationException dup = assertThrows(InvalidConfigurationException.class,
                () -> host.addIOThread("io1", PollParams.DEFAULT, 0, 4));
        assertEquals("name", dup.key());

        host.reconfigureIOThread(new IOThreadConfig("io1", new PollParams(0, 0, 0), 1, 2));
        assertEquals(0, host.iothreads().get(0).params().maxNs());
        assertEquals(2, host.iothreads().get(0).poolMax());

        assertTrue(host.removeIOThread("io1"));
        assertEquals(DeviceState.PENDING, host.devices().get(0).state());
        assertTrue(io1.isClosed());
        assertNull(host.context("io1"));
        assertFalse(host.removeIOThread("io1"));
    }

    @Test
    void iothreadsLeaveNoThreadOrFdBehind() {
        int fdsBefore = FdCounter.openFds();
        for (int i = 0; i < 20; i++) {
            host.addIOThread("io" + i, PollParams.DEFAULT, 0, 2);
            assertTrue(host.removeIOThread("io" + i));
        }
        assertTrue(FdCounter.awaitAtMost(fdsBefore, Duration.ofSeconds(5)) <= fdsBefore,
                FdCounter.describeOpenFds().toString());
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("IO io")));
    }

    @Test
    void devicesAndIOThreadsComingAndGoingConcurrentlyNeitherDeadlockNorLeak() throws Exception {
        int fdsBefore = FdCounter.openFds();
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread threads = new Thread(() -> {
            try {
                for (int i = 0; i < 30; i++) {
                    host.addIOThread("io1", PollParams.DEFAULT, 0, 1);
                    host.removeIOThread("io1");
                }
            } catch (Throwable t) {
                failed.compareAndSet(null, t);
            }
        }, "test-iothreads");
        Thread devices = new Thread(() -> {
            try {
                for (int i = 0; i < 150; i++) {
                    PipeCounterDevice dev = new PipeCounterDevice("d");
                    host.addDevice(dev, Map.of(DeviceHandler.PROP_CONTEXT, "io1"));
                    host.removeDevice(dev);
                }
            } catch (Throwable t) {
                failed.compareAndSet(null, t);
            }
        }, "test-devices");
        threads.start();
        devices.start();
        threads.join(30_000);
        devices.join(30_000);
        assertFalse(threads.isAlive() || devices.isAlive(), "deadlock: " + java.util.Arrays.toString(
                devices.getStackTrace()));
        assertNull(failed.get());
        assertEquals(List.of("main", "iohandler"), host.contexts().stream().map(AioContext::name).toList());
        assertTrue(FdCounter.awaitAtMost(fdsBefore, Duration.ofSeconds(5)) <= fdsBefore,
                "a device attached to an IOThread that then stopped must still close its pipe: "
                        + FdCounter.describeOpenFds());
    }

    @Test
    void configurationIsAppliedLiveAndBadValuesNameTheirKey() throws Exception {
        host.applyConfig(HostConfig.parse(Map.of("backend", "poll")));
        await(() -> host.contexts().stream().allMatch(c -> c.backendName().equals("poll")));
        assertEquals("poll", host.config().backend());

        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> HostConfig.parse(Map.of("backend", "poll", "thread-pool-max", "lots")));
        assertEquals("thread-pool-max", e.key());
        assertEquals("lots", e.value());
        assertEquals("poll", host.config().backend(), "the previous configuration stays");

        host.applyConfig(HostConfig.DEFAULT);
        await(() -> host.contexts().stream().allMatch(c -> c.backendName().equals("epoll")));
    }

    @Test
    void aConfiguredBackendThatIsMissingAtStartIsTakenWhenItArrives() throws Exception {
        host.close();
        BackendRegistry onlyPoll = new BackendRegistry();
        onlyPoll.add(poll);
        host = LoopHosts.builder().registry(onlyPoll).config(HostConfig.parse(Map.of("backend", "epoll"))).build();
        assertEquals("poll", host.context(AioContext.MAIN).backendName());
        host.addBackend(epoll);
        await(() -> host.contexts().stream().allMatch(c -> c.backendName().equals("epoll")));
    }

    @Test
    void theEpollUpgradeThresholdReachesNewContexts() throws Exception {
        host.close();
        host = LoopHosts.builder().registry(registry)
                .config(HostConfig.parse(Map.of("backend", "poll", "epoll.upgrade.threshold", "3"))).build();
        AioContext io = host.addIOThread("io1", PollParams.DEFAULT, 0, 1);
        assertEquals("poll", io.backendName());
        List<int[]> pipes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                int[] p = org.aioloop.posix.Posix.pipe2(org.aioloop.posix.Posix.O_NONBLOCK | org.aioloop.posix.Posix.O_CLOEXEC);
                pipes.add(p);
                io.setFdHandler(p[0], (fd, ev) -> { }, null);
            }
            // The context evaluates the upgrade at the start of a pass, before it applies registrations
            // made from other threads: kick it so a pass sees all three fds.
            await(() -> {
                io.kick();
                return io.backendName().equals("epoll");
            });

            host.applyConfig(HostConfig.parse(Map.of("backend", "poll", "epoll.upgrade.threshold", "0")));
            AioContext io2 = host.addIOThread("io2", PollParams.DEFAULT, 0, 1);
            for (int[] p : pipes) {
                io2.setFdHandler(p[1], null, (fd, ev) -> { });
            }
            io2.switchBackend("poll").get(5, TimeUnit.SECONDS); // a pass has run with all three fds
            assertEquals("poll", io2.backendName(), "threshold 0: QEMU's upgrade is off");
        } finally {
            for (int[] p : pipes) {
                org.aioloop.posix.Posix.close(p[0]);
                org.aioloop.posix.Posix.close(p[1]);
            }
        }
    }

    @Test
    void shutdownClosesAPlainHost() throws Exception {
        host.shutdown();
        Thread waiter = new Thread(() -> {
            try {
                host.awaitShutdown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        waiter.join(10_000);
        assertFalse(waiter.isAlive());
        assertTrue(host.isClosed());
        assertFalse(host.mainLoop().isRunning());
        assertNotNull(host.config());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(1); // polling a condition, not synchronising: bounded by the deadline
        }
    }
}
