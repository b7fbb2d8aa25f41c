package org.aioloop.itest.devices;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

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
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * A device whose configuration is bad leaves <em>no</em> {@code DeviceHandler} service registered
 * (the device component builds the device first and registers it only then; a component that were
 * the service itself would stay registered by SCR with a null service), and appears and attaches
 * once the configuration is fixed. The template device is the subject: {@code intervalMs} below 1
 * is rejected by its constructor with {@code InvalidConfigurationException("intervalMs", ...)}.
 *
 * <p>Absence is checked only once SCR reports the activation failed (its runtime DTO), so the test
 * cannot pass merely by looking before SCR has acted.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DeviceConfigurationIT extends DeviceTestSupport {
    private static final String PID = "org.aioloop.template";
    private static final String NAME = "template";
    private static final String COMPONENT = "org.aioloop.plugin.template.TickCounterDeviceComponent";

    @Configuration
    public Option[] config() {
        return withDeviceLibraries();
    }

    @Test
    public void aBadConfigurationRegistersNoDeviceUntilItIsFixed() throws Exception {
        LoopHost host = host();
        ProcessResources baseline = baseline();
        org.osgi.service.cm.Configuration cfg = configuration(PID, "intervalMs", 0L);
        Bundle b = null;
        try {
            // bad from the start: SCR fails the activation, nothing is registered, the host never sees it
            b = installDevice("plugin-template");
            String failure = awaitFailedActivation(b);
            assertTrue("the failure names the key: " + failure, failure.contains("intervalMs"));
            assertNoDeviceHandler(b);
            DeviceInfo unseen = device(host, NAME);
            assertTrue("the host attached nothing: " + unseen, unseen == null || unseen.state() != DeviceState.ATTACHED);

            // fixed: the device is registered once and attaches
            cfg.update(dict("intervalMs", 10L));
            awaitDevice(NAME, DeviceState.ATTACHED);
            DeviceHandler device = deviceService(NAME);
            assertEquals(10L, callLong(device, "intervalMs"));
            assertEquals("one DeviceHandler from the bundle", 1, deviceHandlersOf(b).size());
            await("ticks", () -> callLong(device, "ticks") >= 2, () -> call(device, "ticks") + " ticks");

            // bad again: the running device goes (detached, nothing held) and no service is left behind
            cfg.update(dict("intervalMs", -5L));
            awaitFailedActivation(b);
            awaitDevice(NAME, DeviceState.DETACHED);
            assertDeviceGone(host, NAME);
            assertNoDeviceHandler(b);
            assertTrue(host.mainLoop().isRunning());

            // fixed again: back and attached
            cfg.update(dict("intervalMs", 5L));
            awaitDevice(NAME, DeviceState.ATTACHED);
            DeviceHandler again = deviceService(NAME);
            assertTrue("a new instance", again != device);
            await("ticks again", () -> callLong(again, "ticks") >= 2, () -> call(again, "ticks") + " ticks");

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

    /** Waits until SCR reports the device component's activation failed; returns SCR's failure text. */
    private String awaitFailedActivation(Bundle b) {
        ServiceComponentRuntime scr = awaitService(ServiceComponentRuntime.class, null);
        String[] failure = new String[1];
        await("SCR reports " + COMPONENT + " FAILED_ACTIVATION", () -> {
            ComponentDescriptionDTO d = scr.getComponentDescriptionDTO(b, COMPONENT);
            if (d == null) {
                return false;
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    failure[0] = String.valueOf(c.failure);
                    return true;
                }
            }
            return false;
        }, () -> describe(scr, b));
        assertNotNull(failure[0]);
        return failure[0];
    }

    private static String describe(ServiceComponentRuntime scr, Bundle b) {
        ComponentDescriptionDTO d = scr.getComponentDescriptionDTO(b, COMPONENT);
        if (d == null) {
            return "no component description yet";
        }
        List<String> states = new ArrayList<>();
        for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
            states.add("state " + c.state + (c.failure != null ? " (" + c.failure + ")" : ""));
        }
        return "configurations: " + states;
    }

    private void assertNoDeviceHandler(Bundle b) {
        assertEquals("DeviceHandler services of the bundle", List.of(), deviceHandlersOf(b));
        assertEquals("DeviceHandler services named " + NAME, List.of(),
                references(DeviceHandler.class, "(" + DeviceHandler.PROP_NAME + "=" + NAME + ")"));
    }

    /** The DeviceHandler services the bundle registered, by their properties (for messages). */
    private static List<String> deviceHandlersOf(Bundle b) {
        List<String> out = new ArrayList<>();
        ServiceReference<?>[] refs = b.getRegisteredServices();
        if (refs != null) {
            for (ServiceReference<?> r : refs) {
                String[] classes = (String[]) r.getProperty(org.osgi.framework.Constants.OBJECTCLASS);
                if (List.of(classes).contains(DeviceHandler.class.getName())) {
                    out.add(String.valueOf(r.getProperty(DeviceHandler.PROP_NAME)) + " " + r.getProperty("intervalMs"));
                }
            }
        }
        return out;
    }
}
