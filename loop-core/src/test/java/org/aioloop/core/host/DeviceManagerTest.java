package org.aioloop.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.aioloop.api.BottomHalf;
import org.aioloop.api.ClockType;
import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.device.DeviceInfo;
import org.aioloop.api.device.DeviceState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeviceManagerTest {
    private final Map<String, FakeContext> contexts = new ConcurrentHashMap<>();
    private final FakeContext main = new FakeContext("main");
    private FakeLoopThread loop;
    private DeviceManager manager;

    @BeforeEach
    void start() throws InterruptedException {
        contexts.put("main", main);
        loop = new FakeLoopThread(main, "test-main-loop");
        manager = new DeviceManager(contexts::get, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws InterruptedException {
        manager.close();
        loop.close();
        assertNull(loop.escaped(), "an exception escaped into the loop");
    }

    @Test
    void attachesOnTheHomeThreadAndDetachesThereOnRemoval() throws Exception {
        RecordingDevice dev = new RecordingDevice("echo", ctx -> ctx.setFdHandler(12, (fd, ev) -> { }, null));
        DeviceInfo first = manager.add(dev, Map.of());
        assertEquals("main", first.context());
        assertTrue(dev.attached.await(5, TimeUnit.SECONDS));
        assertSame(loop.thread(), dev.attachThread);
        awaitState("echo", DeviceState.ATTACHED);
        assertEquals(List.of("fd 12"), manager.device("echo").resources());

        DeviceInfo gone = manager.remove(dev);

        assertSame(loop.thread(), dev.detachThread, "detach runs on the home thread");
        assertEquals(DeviceState.DETACHED, gone.state());
        assertEquals(List.of("fd 12"), gone.leaked(), "the device forgot its fd");
        assertEquals(0, main.handlerCount(), "the core took the fd handler back");
        assertEquals(List.of("attach", "detach"), dev.events);
        assertEquals(DeviceState.DETACHED, manager.device("echo").state(), "departed devices stay listed");
    }

    @Test
    void aCleanDeviceLeavesNoLeakReport() throws Exception {
        AtomicReference<BottomHalf> bh = new AtomicReference<>();
        RecordingDevice dev = new RecordingDevice("clean", ctx -> bh.set(ctx.newBottomHalf("b", () -> { }))) {
            @Override
            public void detach(org.aioloop.api.device.DeviceContext ctx) {
                bh.get().delete();
                super.detach(ctx);
            }
        };
        manager.add(dev, Map.of());
        assertTrue(dev.attached.await(5, TimeUnit.SECONDS));
        assertEquals(List.of(), manager.remove(dev).leaked());
    }

    @Test
    void aThrowingDeviceIsIsolatedAndTheOthersKeepRunning() throws Exception {
        AtomicInteger healthyRuns = new AtomicInteger();
        AtomicReference<BottomHalf> healthyBh = new AtomicReference<>();
        RecordingDevice healthy = new RecordingDevice("healthy", ctx -> healthyBh.set(
                ctx.newBottomHalf("count", healthyRuns::incrementAndGet)));
        AtomicReference<BottomHalf> boomBh = new AtomicReference<>();
        RecordingDevice faulty = new RecordingDevice("faulty", ctx -> {
            boomBh.set(ctx.newBottomHalf("boom", () -> {
                throw new IllegalStateException("device bug");
            }));
            ctx.newTimer(ClockType.REALTIME, "tick", () -> { });
        });
        manager.add(healthy, Map.of());
        manager.add(faulty, Map.of(DeviceHandler.PROP_CONTEXT, "main"));
        assertTrue(healthy.attached.await(5, TimeUnit.SECONDS));
        assertTrue(faulty.attached.await(5, TimeUnit.SECONDS));

        boomBh.get().schedule();
        assertTrue(faulty.detached.await(5, TimeUnit.SECONDS), "a failed device is detached");
        awaitState("faulty", DeviceState.FAILED);
        DeviceInfo info = manager.device("faulty");
        assertTrue(info.failure().contains("bh 'boom'"), info.failure());
        assertTrue(info.failure().contains("device bug"), info.failure());
        assertEquals(List.of("bh 'boom'", "timer 'tick'"), info.leaked());
        assertSame(loop.thread(), faulty.detachThread);

        for (int i = 1; i <= 3; i++) {
            healthyBh.get().schedule();
            int expected = i;
            await(() -> healthyRuns.get() >= expected);
        }
        assertEquals(DeviceState.ATTACHED, manager.device("healthy").state());
        assertEquals(1, main.liveBottomHalves(), "only the healthy device's bottom half is left");
    }

    @Test
    void aDeviceWhoseAttachThrowsIsFailedAndReleased() throws Exception {
        RecordingDevice dev = new RecordingDevice("broken", ctx -> {
            ctx.setFdHandler(9, (fd, ev) -> { }, null);
            throw new IllegalArgumentException("no config");
        });
        manager.add(dev, Map.of());
        awaitState("broken", DeviceState.FAILED);
        DeviceInfo info = manager.device("broken");
        assertTrue(info.failure().startsWith("attach threw"), info.failure());
        assertEquals(List.of("fd 9"), info.leaked());
        assertEquals(0, main.handlerCount());
    }

    @Test
    void aDeviceWaitsForItsContextAndFollowsIt() throws Exception {
        RecordingDevice dev = new RecordingDevice("disk", ctx -> ctx.setFdHandler(20, (fd, ev) -> { }, null));
        DeviceInfo info = manager.add(dev, Map.of(DeviceHandler.PROP_CONTEXT, "io1"));
        assertEquals(DeviceState.PENDING, info.state());
        assertEquals("io1", info.context());

        FakeContext io1 = new FakeContext("io1");
        contexts.put("io1", io1);
        try (FakeLoopThread ioLoop = new FakeLoopThread(io1, "IO io1")) {
            manager.contextAdded("io1");
            assertTrue(dev.attached.await(5, TimeUnit.SECONDS));
            assertSame(ioLoop.thread(), dev.attachThread);
            awaitState("disk", DeviceState.ATTACHED);

            manager.contextRemoving("io1");
            assertEquals(DeviceState.PENDING, manager.device("disk").state());
            assertSame(ioLoop.thread(), dev.detachThread);
            assertEquals(0, io1.handlerCount());
        }
    }

    @Test
    void duplicateNamesAreRejectedAndTheFirstDeviceKeepsRunning() throws Exception {
        RecordingDevice first = new RecordingDevice("echo", ctx -> { });
        manager.add(first, Map.of());
        assertTrue(first.attached.await(5, TimeUnit.SECONDS));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> manager.add(new RecordingDevice("other", ctx -> { }), Map.of(DeviceHandler.PROP_NAME, "echo")));
        assertEquals(DeviceHandler.PROP_NAME, e.key());
        assertEquals("echo", e.value());
        awaitState("echo", DeviceState.ATTACHED);
        assertThrows(InvalidConfigurationException.class, () -> manager.add(new RecordingDevice(" ", ctx -> { }), Map.of()));
    }

    @Test
    void removalTimesOutWhenTheHomeThreadIsStuckAndStillTakesEverythingBack() throws Exception {
        DeviceManager impatient = new DeviceManager(contexts::get, Duration.ofMillis(100));
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch inside = new CountDownLatch(1);
        AtomicReference<BottomHalf> bh = new AtomicReference<>();
        RecordingDevice dev = new RecordingDevice("slow", ctx -> {
            ctx.setFdHandler(30, (fd, ev) -> { }, null);
            bh.set(ctx.newBottomHalf("block", () -> {
                inside.countDown();
                try {
                    stuck.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        });
        impatient.add(dev, Map.of());
        assertTrue(dev.attached.await(5, TimeUnit.SECONDS));
        bh.get().schedule();
        assertTrue(inside.await(5, TimeUnit.SECONDS));
        try {
            DeviceInfo gone = impatient.remove(dev);
            assertEquals(DeviceState.DETACHED, gone.state());
            assertEquals(List.of("fd 30", "bh 'block'"), gone.leaked());
            assertEquals(0, main.handlerCount());
            assertEquals(List.of("attach"), dev.events, "detach is not called from a foreign thread");
        } finally {
            stuck.countDown();
        }
    }

    @Test
    void repeatedAddAndRemoveUnderTrafficLeavesNothingBehind() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        BottomHalf traffic = main.newBottomHalf("traffic", () -> {
            runs.incrementAndGet();
        });
        for (int i = 0; i < 200; i++) {
            AtomicReference<BottomHalf> bh = new AtomicReference<>();
            RecordingDevice dev = new RecordingDevice("cycle", ctx -> {
                ctx.setFdHandler(50, (fd, ev) -> { }, null);
                bh.set(ctx.newBottomHalf("work", () -> { }));
                bh.get().schedule();
                ctx.newTimer(ClockType.REALTIME, "t", () -> { }).modIn(1, TimeUnit.HOURS);
            });
            traffic.schedule();
            manager.add(dev, Map.of());
            if ((i & 1) == 0) {
                assertTrue(dev.attached.await(5, TimeUnit.SECONDS));
            }
            DeviceInfo gone = manager.remove(dev);
            assertTrue(gone.state() == DeviceState.DETACHED, "cycle " + i + ": " + gone);
            loop.runOnLoop(() -> { });
            assertEquals(0, main.handlerCount(), "cycle " + i);
            assertEquals(1, main.liveBottomHalves(), "cycle " + i + ": only the traffic bh is left");
            assertEquals(0, main.liveTimers(), "cycle " + i);
        }
        assertTrue(runs.get() > 0);
    }

    @Test
    void aDepartedDeviceIsNotKeptAliveByTheHistory() throws Exception {
        java.lang.ref.WeakReference<RecordingDevice> ref = addAndRemove();
        assertEquals(DeviceState.DETACHED, manager.device("gone").state(), "still listed");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ref.get() != null) {
            assertTrue(System.nanoTime() < deadline, "the manager still references the departed handler");
            System.gc();
            Thread.sleep(10); // give the collector time; bounded by the deadline
        }
    }

    private java.lang.ref.WeakReference<RecordingDevice> addAndRemove() throws InterruptedException {
        RecordingDevice dev = new RecordingDevice("gone", ctx -> { });
        manager.add(dev, Map.of());
        assertTrue(dev.attached.await(5, TimeUnit.SECONDS));
        manager.remove(dev);
        return new java.lang.ref.WeakReference<>(dev);
    }

    private void awaitState(String device, DeviceState state) throws InterruptedException {
        await(() -> {
            DeviceInfo i = manager.device(device);
            return i != null && i.state() == state;
        });
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
