package org.aioloop.itest.devices;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.aioloop.api.AioContext;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.device.DeviceInfo;
import org.aioloop.api.device.DeviceState;
import org.aioloop.api.host.LoopHost;
import org.aioloop.itest.support.ProcessResources;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The template device (plugins/template), deployed as an extension developer would: configured
 * through its PID {@code org.aioloop.template}, attached on {@code main}, ticking on the REALTIME
 * clock; reconfigured live (DS re-creates it with the new period); a bad period keeps it out without
 * disturbing the host; stopped, it leaves nothing behind.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TemplateDeviceIT extends DeviceTestSupport {
    private static final String PID = "org.aioloop.template";
    private static final String NAME = "template";

    @Configuration
    public Option[] config() {
        return withDeviceLibraries();
    }

    @Test
    public void ticksOnMainIsReconfiguredLiveAndLeavesNothingBehind() throws Exception {
        LoopHost host = host();
        ProcessResources baseline = baseline();
        org.osgi.service.cm.Configuration cfg = configuration(PID, "intervalMs", 10L);
        Bundle b = null;
        try {
            b = installDevice("plugin-template");
            DeviceInfo attached = awaitDevice(NAME, DeviceState.ATTACHED);
            assertEquals(AioContext.MAIN, attached.context());
            assertTrue("the tick timer is the device's: " + attached.resources(),
                    attached.resources().contains("timer 'tick'"));

            DeviceHandler device = deviceService(NAME);
            assertEquals("configured period", 10L, callLong(device, "intervalMs"));
            await("5 ticks of 10 ms", () -> callLong(device, "ticks") >= 5, () -> call(device, "ticks") + " ticks");

            // Live reconfiguration: the component has no @Modified, so DS replaces the instance; the
            // host detaches the old device and attaches the new one.
            cfg.update(dict("intervalMs", 20L));
            await("the new instance with a 20 ms period", () -> {
                List<?> refs = references(DeviceHandler.class, "(intervalMs=20)");
                return !refs.isEmpty() && callLong(deviceService(NAME), "intervalMs") == 20L;
            }, () -> String.valueOf(host.devices()));
            DeviceHandler second = deviceService(NAME);
            assertTrue("a new instance", second != device);
            awaitDevice(NAME, DeviceState.ATTACHED);
            await("the new instance ticks", () -> callLong(second, "ticks") >= 2, () -> call(second, "ticks") + " ticks");

            // A bad period: the old instance goes, the constructor rejects the new one (DS logs it),
            // so no device is attached; the host runs on.
            cfg.update(dict("intervalMs", 0L));
            awaitDevice(NAME, DeviceState.DETACHED);
            assertDeviceDetached(host, NAME);
            assertTrue(host.mainLoop().isRunning());

            // A good one brings it back.
            cfg.update(dict("intervalMs", 5L));
            awaitDevice(NAME, DeviceState.ATTACHED);
            DeviceHandler third = deviceService(NAME);
            await("ticks again", () -> callLong(third, "ticks") >= 2, () -> call(third, "ticks") + " ticks");

            removeDevice(b, NAME);
            b = null;
        } finally {
            if (b != null) {
                b.uninstall();
            }
            deleteQuietly(cfg);
        }
        assertNothingLeft(baseline);
    }
}
