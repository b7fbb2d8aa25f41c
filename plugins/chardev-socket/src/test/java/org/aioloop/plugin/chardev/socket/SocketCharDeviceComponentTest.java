package org.aioloop.plugin.chardev.socket;

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
class SocketCharDeviceComponentTest {
    @Test
    void aBadConfigurationRegistersNothing() {
        ComponentProbe probe = new ComponentProbe();
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new SocketCharDeviceComponent(probe.bundleContext(),
                        ComponentProbe.config(SocketCharDevice.Config.class, Map.of("transport", "pigeon")),
                        Map.of("aioloop.device", "echo-a")));
        assertTrue(e.getMessage().contains("transport"), e.getMessage());
        assertEquals(List.of(), probe.registrations());
    }

    @Test
    void aGoodConfigurationRegistersTheDeviceUntilDeactivated() {
        ComponentProbe probe = new ComponentProbe();
        SocketCharDeviceComponent c = new SocketCharDeviceComponent(probe.bundleContext(),
                ComponentProbe.config(SocketCharDevice.Config.class, Map.of("aioloop_device", "echo-a", "port", 0)),
                Map.of("aioloop.device", "echo-a"));
        assertEquals(1, probe.live().size());
        ComponentProbe.Registration r = probe.live().get(0);
        assertEquals(List.of(DeviceHandler.class.getName()), r.classes());
        assertTrue(r.service() instanceof SocketCharDevice);
        assertEquals("echo-a", ((DeviceHandler) r.service()).name());
        assertEquals("echo-a", r.properties().get("aioloop.device"));
        c.deactivate();
        assertEquals(List.of(), probe.live());
    }

    @Test
    void aRelativeUnixPathGoesToTheRunDirectoryWhenTheFrameworkNamesOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        java.nio.file.Path run = tmp.resolve("run");
        ComponentProbe probe = new ComponentProbe(Map.of("aioloop.run.dir", run.toString()));
        Map<String, ?> cfg = Map.of("aioloop_device", "echo-a", "transport", "unix", "path", "echo.sock");
        SocketCharDeviceComponent c = new SocketCharDeviceComponent(probe.bundleContext(), ComponentProbe.config(SocketCharDevice.Config.class, cfg), Map.of("aioloop.device", "echo-a"));
        SocketCharDevice device = (SocketCharDevice) probe.live().get(0).service();
        assertEquals(run.resolve("echo.sock"), device.address().path());
        assertTrue(java.nio.file.Files.isDirectory(run), "created");
        c.deactivate();

        ComponentProbe plain = new ComponentProbe();
        SocketCharDeviceComponent c2 = new SocketCharDeviceComponent(plain.bundleContext(), ComponentProbe.config(SocketCharDevice.Config.class, cfg), Map.of("aioloop.device", "echo-a"));
        assertEquals(java.nio.file.Path.of("echo.sock").toAbsolutePath(), ((SocketCharDevice) plain.live().get(0).service()).address().path(),
                "without the property: relative to the working directory, as before");
        c2.deactivate();
    }
}
