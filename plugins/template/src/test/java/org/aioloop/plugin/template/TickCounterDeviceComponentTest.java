package org.aioloop.plugin.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.plugin.testkit.ComponentProbe;
import org.junit.jupiter.api.Test;

/** The DS component registers the device only once it is built; a bad configuration leaves nothing. */
class TickCounterDeviceComponentTest {
    private static Map<String, Object> componentProperties(long intervalMs) {
        Map<String, Object> p = new HashMap<>();
        p.put("aioloop.context", "main");
        p.put("aioloop.device", "template");
        p.put("intervalMs", intervalMs);
        p.put(".secret", "not a service property");
        return p;
    }

    @Test
    void aBadConfigurationRegistersNothing() {
        ComponentProbe probe = new ComponentProbe();
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new TickCounterDeviceComponent(probe.bundleContext(),
                        ComponentProbe.config(TickCounterDevice.Config.class, Map.of("intervalMs", 0L)),
                        componentProperties(0)));
        assertTrue(e.getMessage().contains("intervalMs"), e.getMessage());
        assertEquals(List.of(), probe.registrations());
    }

    @Test
    void aGoodConfigurationRegistersTheDeviceAsADeviceHandlerUntilDeactivated() {
        ComponentProbe probe = new ComponentProbe();
        TickCounterDeviceComponent c = new TickCounterDeviceComponent(probe.bundleContext(),
                ComponentProbe.config(TickCounterDevice.Config.class, Map.of("intervalMs", 20L)), componentProperties(20));
        assertEquals(1, probe.live().size());
        ComponentProbe.Registration r = probe.live().get(0);
        assertEquals(List.of(DeviceHandler.class.getName()), r.classes());
        assertEquals(20L, ((TickCounterDevice) r.service()).intervalMs());
        assertEquals("template", r.properties().get("aioloop.device"));
        assertEquals(20L, r.properties().get("intervalMs"), "configuration is visible as service properties");
        assertTrue(!r.properties().containsKey(".secret"));
        c.deactivate();
        assertEquals(List.of(), probe.live());
    }
}
