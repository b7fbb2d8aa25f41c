package org.aioloop.itest.devices;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.aioloop.api.AioContext;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.device.DeviceInfo;
import org.aioloop.api.device.DeviceState;
import org.aioloop.api.host.LoopHost;
import org.aioloop.itest.support.ProcessResources;
import org.aioloop.posix.SignalFd;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * The signals device (plugins/signals) in Felix: attached on {@code main}, it blocks SIGTERM, SIGINT
 * and SIGHUP on the main loop thread and reads them from a signalfd. A SIGHUP directed at that thread
 * (raised on it, as {@code tgkill} would) makes the host reload its configuration: the LoopHost
 * service's {@code aioloop.config.generation} goes up once per signal. Removing the bundle closes the
 * signalfd and restores the thread's signal mask.
 *
 * <p>Only SIGHUP is sent: SIGTERM and SIGINT would stop the framework the test runs in (the device's
 * unit tests cover them with a recording action). Nothing is raised unless the loop thread blocks
 * the signal at that moment, so a broken device fails the test instead of killing the JVM.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SignalsIT extends DeviceTestSupport {
    private static final String NAME = "signals";
    private static final String GENERATION = "aioloop.config.generation";

    @Configuration
    public Option[] config() {
        return withDeviceLibraries();
    }

    @Test
    public void sighupToTheLoopThreadReloadsTheHostConfiguration() throws Exception {
        LoopHost host = host();
        AioContext main = host.context(AioContext.MAIN);
        ProcessResources baseline = baseline();
        boolean[] blocked = new boolean[1];
        onHomeThread(main, () -> blocked[0] = SignalFd.isBlockedOnCurrentThread(SignalFd.SIGHUP));
        assertFalse("SIGHUP is not blocked on the loop thread before the device", blocked[0]);

        Bundle b = installDevice("plugin-signals");
        try {
            DeviceInfo info = awaitDevice(NAME, DeviceState.ATTACHED);
            assertEquals(AioContext.MAIN, info.context());
            DeviceHandler device = deviceService(NAME);
            for (int i = 1; i <= 3; i++) {
                long before = generation();
                onHomeThread(main, () -> {
                    if (!SignalFd.isBlockedOnCurrentThread(SignalFd.SIGHUP)) {
                        throw new AssertionError("the device does not block SIGHUP on the loop thread");
                    }
                    SignalFd.raiseOnCurrentThread(SignalFd.SIGHUP);
                });
                int round = i;
                await("SIGHUP " + i + " taken", () -> callLong(device, "received") == round,
                        () -> call(device, "received") + " signals");
                await("SIGHUP " + i + " reloaded the configuration", () -> generation() > before,
                        () -> "generation " + generation() + ", was " + before);
            }
            assertEquals(DeviceState.ATTACHED, device(host, NAME).state());

            removeDevice(b, NAME);
            b = null;
            onHomeThread(main, () -> blocked[0] = SignalFd.isBlockedOnCurrentThread(SignalFd.SIGHUP));
            assertFalse("the loop thread's signal mask is restored", blocked[0]);
            assertTrue(host.mainLoop().isRunning());
        } finally {
            if (b != null) {
                b.uninstall();
            }
        }
        assertNothingLeft(baseline);
    }

    private long generation() {
        ServiceReference<LoopHost> ref = references(LoopHost.class, null).get(0);
        Object g = ref.getProperty(GENERATION);
        return g == null ? -1 : ((Number) g).longValue();
    }
}
