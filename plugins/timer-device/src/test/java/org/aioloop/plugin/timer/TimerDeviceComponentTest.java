package org.aioloop.plugin.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.plugin.testkit.ComponentProbe;
import org.junit.jupiter.api.Test;

/** The DS component registers the device only once it is built; a bad configuration leaves nothing. */
class TimerDeviceComponentTest {
    @Test
    void aBadConfigurationRegistersNothing() {
        ComponentProbe probe = new ComponentProbe();
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new TimerDeviceComponent(probe.bundleContext(),
                        ComponentProbe.config(TimerDevice.Config.class, Map.of("rtcPeriodMs", 0L)),
                        Map.of("aioloop.device", "rtc-a", "rtcPeriodMs", 0L)));
        assertTrue(e.getMessage().contains("rtcPeriodMs"), e.getMessage());
        assertEquals(List.of(), probe.registrations());
    }

    @Test
    void aGoodConfigurationRegistersTheDeviceUntilDeactivated() {
        ComponentProbe probe = new ComponentProbe();
        TimerDeviceComponent c = new TimerDeviceComponent(probe.bundleContext(),
                ComponentProbe.config(TimerDevice.Config.class, Map.of("aioloop_device", "rtc-a")),
                Map.of("aioloop.device", "rtc-a"));
        assertEquals(1, probe.live().size());
        ComponentProbe.Registration r = probe.live().get(0);
        assertEquals(List.of(DeviceHandler.class.getName()), r.classes());
        assertTrue(r.service() instanceof TimerDevice);
        assertEquals("rtc-a", ((DeviceHandler) r.service()).name());
        assertEquals("rtc-a", r.properties().get("aioloop.device"));
        c.deactivate();
        assertEquals(List.of(), probe.live());
    }
}
