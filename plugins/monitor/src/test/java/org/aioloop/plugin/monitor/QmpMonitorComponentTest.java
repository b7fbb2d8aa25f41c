package org.aioloop.plugin.monitor;

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
class QmpMonitorComponentTest {
    @Test
    void aBadConfigurationRegistersNothing() {
        ComponentProbe probe = new ComponentProbe();
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new QmpMonitorComponent(probe.bundleContext(), null,
                        ComponentProbe.config(QmpMonitor.Config.class, Map.of("maxInFlight", 0)),
                        Map.of("aioloop.device", "monitor")));
        assertTrue(e.getMessage().contains("maxInFlight"), e.getMessage());
        assertEquals(List.of(), probe.registrations());
    }

    @Test
    void aGoodConfigurationRegistersTheDeviceUntilDeactivated() {
        ComponentProbe probe = new ComponentProbe();
        QmpMonitorComponent c = new QmpMonitorComponent(probe.bundleContext(), null,
                ComponentProbe.config(QmpMonitor.Config.class, Map.of()),
                Map.of("aioloop.device", "monitor", "aioloop.context", "iohandler"));
        assertEquals(1, probe.live().size());
        ComponentProbe.Registration r = probe.live().get(0);
        assertEquals(List.of(DeviceHandler.class.getName()), r.classes());
        assertTrue(r.service() instanceof QmpMonitor);
        assertEquals("monitor", ((DeviceHandler) r.service()).name());
        assertEquals("monitor", r.properties().get("aioloop.device"));
        c.deactivate();
        assertEquals(List.of(), probe.live());
    }

    @Test
    void aRelativeUnixPathGoesToTheRunDirectoryWhenTheFrameworkNamesOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        java.nio.file.Path run = tmp.resolve("run");
        ComponentProbe probe = new ComponentProbe(Map.of("aioloop.run.dir", run.toString()));
        Map<String, ?> cfg = Map.<String, Object>of();
        QmpMonitorComponent c = new QmpMonitorComponent(probe.bundleContext(), null, ComponentProbe.config(QmpMonitor.Config.class, cfg), Map.of("aioloop.device", "monitor"));
        QmpMonitor device = (QmpMonitor) probe.live().get(0).service();
        assertEquals(run.resolve("aioloop-monitor.sock"), device.address().path());
        assertTrue(java.nio.file.Files.isDirectory(run), "created");
        c.deactivate();

        ComponentProbe plain = new ComponentProbe();
        QmpMonitorComponent c2 = new QmpMonitorComponent(plain.bundleContext(), null, ComponentProbe.config(QmpMonitor.Config.class, cfg), Map.of("aioloop.device", "monitor"));
        assertEquals(java.nio.file.Path.of("aioloop-monitor.sock").toAbsolutePath(), ((QmpMonitor) plain.live().get(0).service()).address().path(),
                "without the property: relative to the working directory, as before");
        c2.deactivate();
    }
}
