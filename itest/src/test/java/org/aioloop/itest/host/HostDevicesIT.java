package org.aioloop.itest.host;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.util.List;
import java.util.function.LongSupplier;

import org.aioloop.api.AioContext;
import org.aioloop.api.ContextSnapshot;
import org.aioloop.api.PollParams;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.device.DeviceInfo;
import org.aioloop.api.device.DeviceState;
import org.aioloop.api.host.LoopHost;
import org.aioloop.itest.host.bundles.faulty.FaultyActivator;
import org.aioloop.itest.host.bundles.traffic.TrafficActivator;
import org.aioloop.itest.host.bundles.traffic.TrafficDevice;
import org.aioloop.itest.support.ProcessResources;
import org.aioloop.itest.support.TestBundles;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Device bundles built in the test (TinyBundles) come and go while the loop runs: the host attaches
 * them on their context's home thread, takes back what they leave, names leaks, isolates a device
 * that throws, and keeps no fd, thread, registration or class loader of a departed bundle.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HostDevicesIT extends HostTestSupport {
    private static final String TRAFFIC = "itest.host.traffic";
    private static final String FAULTY = "itest.host.faulty";
    private static final String IO = "io-itest";
    private static final String COUNTER = "(" + TrafficDevice.PROP_DEVICE + "=" + TrafficActivator.NAME + ")";
    private static final int CYCLES = 20;

    @Configuration
    public Option[] config() {
        return withHost(
                TestBundles.build(TRAFFIC, TrafficActivator.class, TrafficDevice.class),
                TestBundles.build(FAULTY, FaultyActivator.class));
    }

    @Before
    public void ioThread() {
        System.setProperty(TrafficActivator.CONTEXT_PROPERTY, IO);
        LoopHost host = host();
        if (host.context(IO) == null) {
            host.addIOThread(IO, PollParams.DEFAULT, 0, 2);
        }
    }

    @Test
    public void deviceBundleCyclesLeaveNothingBehind() throws Exception {
        LoopHost host = host();
        AioContext io = host.context(IO);
        cycle(host, 0, false); // warm-up: class loading and lazily created threads are not leaks
        ProcessResources baseline = ProcessResources.snapshot();
        ContextSnapshot before = io.snapshot();
        WeakReference<Class<?>> deviceClass = null;
        for (int i = 1; i <= CYCLES; i++) {
            WeakReference<Class<?>> c = cycle(host, i, i % 5 == 0);
            if (deviceClass == null) {
                deviceClass = c;
            }
            ContextSnapshot after = io.snapshot();
            assertEquals("cycle " + i + ": fd handlers", before.handlers(), after.handlers());
            assertEquals("cycle " + i + ": timers", before.timers(), after.timers());
        }
        List<String> left = ProcessResources.awaitBack(baseline, timeout());
        assertTrue("left behind after " + CYCLES + " cycles: " + left, left.isEmpty());
        assertCollectable(deviceClass);
    }

    /** One install-start-(update)-stop-uninstall cycle with traffic; returns the device's class. */
    private WeakReference<Class<?>> cycle(LoopHost host, int i, boolean update) throws Exception {
        Bundle b = context.installBundle(TestBundles.location(TRAFFIC));
        b.start();
        DeviceInfo attached = awaitDevice(TrafficActivator.NAME, DeviceState.ATTACHED);
        assertEquals(IO, attached.context());
        WeakReference<Class<?>> deviceClass = new WeakReference<>(
                awaitService(DeviceHandler.class, "(" + DeviceHandler.PROP_NAME + "=" + TrafficActivator.NAME + ")")
                        .getClass());
        assertSame("the device class comes from the test bundle", b, org.osgi.framework.FrameworkUtil.getBundle(
                deviceClass.get()));
        pushAndCount(i);
        if (update) {
            try (InputStream in = new URL(TestBundles.location(TRAFFIC)).openStream()) {
                b.update(in);
            }
            awaitDevice(TrafficActivator.NAME, DeviceState.ATTACHED);
            pushAndCount(i);
        }
        b.stop();
        // the host detached the device before the service unregistration returned
        DeviceInfo gone = device(host, TrafficActivator.NAME);
        assertEquals("cycle " + i, DeviceState.DETACHED, gone.state());
        assertEquals("cycle " + i + ": the device cleaned up after itself", List.of(), gone.leaked());
        awaitServiceGone(LongSupplier.class, COUNTER);
        uninstallAndRefresh(b);
        return deviceClass;
    }

    private void pushAndCount(int cycle) {
        LongSupplier counter = awaitService(LongSupplier.class, COUNTER);
        ServiceReference<LongSupplier> ref = references(LongSupplier.class, COUNTER).get(0);
        int fd = (Integer) ref.getProperty(TrafficDevice.PROP_WRITE_FD);
        writeBytes(fd, 100);
        await("cycle " + cycle + ": 100 bytes counted", () -> counter.getAsLong() == 100,
                () -> counter.getAsLong() + " counted");
    }

    private static void assertCollectable(WeakReference<Class<?>> ref) throws InterruptedException {
        long deadline = System.nanoTime() + timeout().toNanos();
        while (ref.get() != null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the first device bundle's class loader is still reachable after uninstall"
                        + " and refresh");
            }
            System.gc();
            Thread.sleep(20); // give the collector time; bounded by the deadline
        }
    }

    @Test
    public void aThrowingDeviceIsIsolatedAndTheOthersKeepRunning() throws Exception {
        LoopHost host = host();
        Bundle traffic = context.installBundle(TestBundles.location(TRAFFIC));
        traffic.start();
        awaitDevice(TrafficActivator.NAME, DeviceState.ATTACHED);
        Bundle faulty = context.installBundle(TestBundles.location(FAULTY));
        faulty.start();

        DeviceInfo failed = awaitDevice(FaultyActivator.THROWING, DeviceState.FAILED);
        assertTrue(failed.failure(), failed.failure().contains("bh 'boom'"));
        assertTrue(failed.failure(), failed.failure().contains(FaultyActivator.BOOM));
        assertEquals(List.of("bh 'boom'"), failed.leaked());
        awaitDevice(FaultyActivator.FORGETFUL, DeviceState.ATTACHED);

        pushAndCount(0); // the loops keep running: the traffic device still counts every byte
        assertTrue(host.mainLoop().isRunning());

        faulty.stop();
        DeviceInfo forgetful = device(host, FaultyActivator.FORGETFUL);
        assertEquals(DeviceState.DETACHED, forgetful.state());
        assertEquals(List.of("timer 'forgotten'"), forgetful.leaked());
        for (ContextSnapshot.TimerEntry t : host.context(AioContext.MAIN).snapshot().timers()) {
            assertTrue("the core closed the forgotten timer", !t.name().equals("forgotten"));
        }
        assertEquals(DeviceState.FAILED, device(host, FaultyActivator.THROWING).state());
        assertEquals(DeviceState.ATTACHED, device(host, TrafficActivator.NAME).state());
        uninstallAndRefresh(faulty);
        traffic.stop();
        assertNull(device(host, TrafficActivator.NAME).failure());
        uninstallAndRefresh(traffic);
    }
}
