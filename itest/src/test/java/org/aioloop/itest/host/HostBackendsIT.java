package org.aioloop.itest.host;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.function.LongSupplier;

import org.aioloop.api.AioContext;
import org.aioloop.api.ContextSnapshot;
import org.aioloop.api.PollParams;
import org.aioloop.api.device.DeviceState;
import org.aioloop.api.host.LoopHost;
import org.aioloop.itest.host.bundles.traffic.TrafficActivator;
import org.aioloop.itest.host.bundles.traffic.TrafficDevice;
import org.aioloop.itest.support.TestBundles;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;

/**
 * The backend bundles are stopped, started, updated, uninstalled and reinstalled while bytes flow
 * through a test device: after each step every context is on the expected backend, the device is
 * still attached with its fd handler registered, and in the end every byte was counted.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HostBackendsIT extends HostTestSupport {
    private static final String TRAFFIC = "itest.host.traffic";
    private static final String IO = "io-itest";
    private static final String COUNTER = "(" + TrafficDevice.PROP_DEVICE + "=" + TrafficActivator.NAME + ")";
    private static final int BYTES = 50_000;

    @Configuration
    public Option[] config() {
        return withHost(TestBundles.build(TRAFFIC, TrafficActivator.class, TrafficDevice.class));
    }

    @Test
    public void backendBundlesComeAndGoUnderTrafficOnAnIOThread() throws Exception {
        host().addIOThread(IO, PollParams.DEFAULT, 0, 2);
        churnUnderTraffic(IO);
    }

    @Test
    public void backendBundlesComeAndGoUnderTrafficOnTheMainContext() throws Exception {
        churnUnderTraffic(AioContext.MAIN);
    }

    @Test
    public void withoutAnyBackendTheHostGoesAndComesBackWithItsDevices() throws Exception {
        System.setProperty(TrafficActivator.CONTEXT_PROPERTY, AioContext.MAIN);
        host();
        Bundle device = context.installBundle(TestBundles.location(TRAFFIC));
        device.start();
        awaitDevice(TrafficActivator.NAME, DeviceState.ATTACHED);
        Bundle epoll = bundle("org.aioloop.backend.epoll");
        Bundle poll = bundle("org.aioloop.backend.poll");

        epoll.stop();
        poll.stop();
        awaitServiceGone(LoopHost.class, null);
        awaitServiceGone(AioContext.class, null);
        awaitServiceGone(LongSupplier.class, COUNTER); // the device was detached with its host

        poll.start();
        LoopHost again = host();
        assertTrue(backendsInUse(again).toString(), allOn(again, "poll"));
        awaitDevice(TrafficActivator.NAME, DeviceState.ATTACHED);
        LongSupplier counter = awaitService(LongSupplier.class, COUNTER);
        int fd = (Integer) references(LongSupplier.class, COUNTER).get(0).getProperty(TrafficDevice.PROP_WRITE_FD);
        writeBytes(fd, 10);
        await("the re-attached device counts", () -> counter.getAsLong() == 10, () -> counter.getAsLong() + "");
        epoll.start();
        await("epoll taken when it returns", () -> allOn(again, "epoll"), () -> backendsInUse(again).toString());
        device.stop();
        uninstallAndRefresh(device);
    }

    private void churnUnderTraffic(String contextName) throws Exception {
        LoopHost host = host();
        System.setProperty(TrafficActivator.CONTEXT_PROPERTY, contextName);
        await("all contexts on epoll", () -> allOn(host, "epoll"), () -> backendsInUse(host).toString());
        Bundle device = context.installBundle(TestBundles.location(TRAFFIC));
        device.start();
        awaitDevice(TrafficActivator.NAME, DeviceState.ATTACHED);
        LongSupplier counter = awaitService(LongSupplier.class, COUNTER);
        int fd = (Integer) references(LongSupplier.class, COUNTER).get(0).getProperty(TrafficDevice.PROP_WRITE_FD);

        Thread writer = new Thread(() -> writeBytes(fd, BYTES), "itest-writer");
        writer.start();
        Bundle epoll = bundle("org.aioloop.backend.epoll");
        Bundle poll = bundle("org.aioloop.backend.poll");

        epoll.stop();
        // the unbind returned after every context had switched on its home thread
        assertTrue("after epoll stopped: " + backendsInUse(host), allOn(host, "poll"));
        assertIntact(host, contextName, "epoll stopped");

        epoll.start();
        await("back on epoll after start", () -> allOn(host, "epoll"), () -> backendsInUse(host).toString());
        assertIntact(host, contextName, "epoll started");

        try (InputStream in = Files.newInputStream(bundleFile("backend-epoll"))) {
            epoll.update(in);
        }
        await("on epoll after update", () -> allOn(host, "epoll"), () -> backendsInUse(host).toString());
        assertIntact(host, contextName, "epoll updated");

        poll.stop();
        assertTrue("stopping an unused backend moves nothing: " + backendsInUse(host), allOn(host, "epoll"));
        poll.start();
        assertIntact(host, contextName, "poll restarted");

        epoll.uninstall();
        assertTrue("after epoll uninstalled: " + backendsInUse(host), allOn(host, "poll"));
        refresh(epoll);
        assertIntact(host, contextName, "epoll uninstalled");

        Bundle again = context.installBundle(bundleFile("backend-epoll").toUri().toString());
        again.start();
        await("on epoll after reinstall", () -> allOn(host, "epoll"), () -> backendsInUse(host).toString());
        assertIntact(host, contextName, "epoll reinstalled");

        writer.join(timeout().toMillis());
        assertFalse("the writer finished", writer.isAlive());
        await("every byte counted", () -> counter.getAsLong() == BYTES, () -> counter.getAsLong() + " of " + BYTES);
        device.stop();
        assertEquals(java.util.List.of(), device(host, TrafficActivator.NAME).leaked());
        uninstallAndRefresh(device);
    }

    private void assertIntact(LoopHost host, String contextName, String step) {
        assertEquals(step, DeviceState.ATTACHED, device(host, TrafficActivator.NAME).state());
        AioContext io = host.context(contextName);
        boolean registered = false;
        for (ContextSnapshot.Handler h : io.snapshot().handlers()) {
            registered |= TrafficActivator.NAME.equals(h.owner());
        }
        assertTrue(step + ": the device's fd handler is still registered: " + io.snapshot().handlers(), registered);
    }
}
