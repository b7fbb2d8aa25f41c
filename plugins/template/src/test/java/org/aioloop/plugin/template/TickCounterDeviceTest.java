package org.aioloop.plugin.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.core.ManualClockSource;
import org.aioloop.plugin.testkit.DeviceHarness;
import org.aioloop.core.host.DeviceContextView;
import org.junit.jupiter.api.Test;

/**
 * The template's test: the device runs on a real AioContext, driven by the test thread with a
 * manual clock, so every step is deterministic. Copy it with the template.
 */
class TickCounterDeviceTest {
    private final ManualClockSource clock = new ManualClockSource();

    @Test
    void countsOneTickPerInterval() {
        TickCounterDevice device = new TickCounterDevice("ticks", 100);
        try (DeviceHarness h = DeviceHarness.builder().clocks(clock).threaded(false).build()) {
            h.attach(device);
            clock.advance(TimeUnit.MILLISECONDS.toNanos(99));
            h.pollOnce();
            assertEquals(0, device.ticks(), "not yet due");
            for (int i = 1; i <= 5; i++) {
                clock.advance(TimeUnit.MILLISECONDS.toNanos(100));
                h.pollOnce();
                assertEquals(i, device.ticks());
            }
        }
    }

    @Test
    void holdsOneTimerWhileAttachedAndNothingAfterDetach() {
        TickCounterDevice device = new TickCounterDevice();
        try (DeviceHarness h = DeviceHarness.builder().clocks(clock).threaded(false).build()) {
            DeviceContextView view = h.attach(device);
            assertEquals(List.of("timer 'tick'"), view.liveResources());
            assertEquals(List.of(), h.detach(device), "the device closed its timer itself");
            clock.advance(TimeUnit.SECONDS.toNanos(10));
            h.pollOnce();
            assertEquals(0, device.ticks(), "a detached device never runs");
        }
    }

    @Test
    void rejectsAnIntervalBelowOneMillisecond() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new TickCounterDevice("t", 0));
        assertEquals("intervalMs", e.key());
    }

    @Test
    void isAServiceLoaderProviderForPlainJava() {
        assertTrue(ServiceLoader.load(DeviceHandler.class).stream()
                .anyMatch(p -> p.type() == TickCounterDevice.class));
    }
}
