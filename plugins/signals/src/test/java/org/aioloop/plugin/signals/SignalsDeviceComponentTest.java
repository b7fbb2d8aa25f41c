package org.aioloop.plugin.signals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.host.LoopHost;
import org.aioloop.plugin.testkit.ComponentProbe;
import org.junit.jupiter.api.Test;

/** The DS component registers the device built for the host, as a DeviceHandler on main, until deactivated. */
class SignalsDeviceComponentTest {
    @Test
    void registersTheDeviceForTheHostUntilDeactivated() {
        List<String> calls = new java.util.ArrayList<>();
        LoopHost host = (LoopHost) Proxy.newProxyInstance(LoopHost.class.getClassLoader(),
                new Class<?>[] {LoopHost.class}, (p, m, a) -> {
                    calls.add(m.getName());
                    return null;
                });
        Map<String, Object> props = new HashMap<>();
        props.put("aioloop.context", "main");
        props.put("aioloop.device", "signals");
        props.put(".private", "x");
        ComponentProbe probe = new ComponentProbe();
        SignalsDeviceComponent c = new SignalsDeviceComponent(probe.bundleContext(), host, props);
        assertEquals(1, probe.live().size());
        ComponentProbe.Registration r = probe.live().get(0);
        assertEquals(List.of(DeviceHandler.class.getName()), r.classes());
        assertEquals("main", r.properties().get("aioloop.context"));
        assertFalse(r.properties().containsKey(".private"));
        SignalsDevice device = (SignalsDevice) r.service();
        assertEquals("signals", device.name());
        assertTrue(calls.isEmpty(), "building the device asks the host nothing");
        c.deactivate();
        assertEquals(List.of(), probe.live());
    }
}
