package org.aioloop.plugin.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.plugin.testkit.ComponentProbe;
import org.junit.jupiter.api.Test;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The DS component registers the device only once it is built; a bad configuration leaves nothing. */
class BlockFileDeviceComponentTest {
    @TempDir
    Path dir;

    @Test
    void aBadConfigurationRegistersNothing() {
        ComponentProbe probe = new ComponentProbe();
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new BlockFileDeviceComponent(probe.bundleContext(),
                        ComponentProbe.config(BlockFileDevice.Config.class, Map.of("aioloop_device", "disk-a")),
                        Map.of("aioloop.device", "disk-a")));
        assertTrue(e.getMessage().contains("path"), e.getMessage());
        assertEquals(List.of(), probe.registrations());
    }

    @Test
    void aGoodConfigurationRegistersTheDeviceUntilDeactivated() {
        ComponentProbe probe = new ComponentProbe();
        BlockFileDeviceComponent c = new BlockFileDeviceComponent(probe.bundleContext(),
                ComponentProbe.config(BlockFileDevice.Config.class, Map.of("aioloop_device", "disk-a",
                        "path", dir.resolve("disk.img").toString(), "create", true, "sizeBytes", 4096L)),
                Map.of("aioloop.device", "disk-a"));
        assertEquals(1, probe.live().size());
        ComponentProbe.Registration r = probe.live().get(0);
        assertEquals(List.of(DeviceHandler.class.getName(), BlockFileDevice.class.getName()), r.classes());
        assertTrue(r.service() instanceof BlockFileDevice);
        assertEquals("disk-a", ((DeviceHandler) r.service()).name());
        assertEquals("disk-a", r.properties().get("aioloop.device"));
        c.deactivate();
        assertEquals(List.of(), probe.live());
    }
}
