package org.aioloop.itest.devices;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.aioloop.api.AioContext;
import org.aioloop.api.ClockSource;
import org.aioloop.api.ClockType;
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
 * The timer device (plugins/timer-device) in Felix, one device per factory configuration of
 * {@code org.aioloop.timer}: its RTC on the VIRTUAL clock counts while the clock runs and stops
 * counting while the host's VIRTUAL clock is stopped ({@code LoopHost.clocks().stopVirtual()}, what
 * the monitor's {@code stop} does), while its REALTIME heartbeat keeps counting; after resume it
 * counts on. A watchdog nobody pets pauses the VIRTUAL clock. Removing the bundle leaves nothing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TimerDeviceIT extends DeviceTestSupport {
    private static final String FACTORY_PID = "org.aioloop.timer";
    private static final String BUNDLE = "plugin-timer-device";

    @Configuration
    public Option[] config() {
        return withDeviceLibraries();
    }

    @Test
    public void virtualTimersStopWithTheVirtualClockAndRealtimeOnesDoNot() throws Exception {
        LoopHost host = host();
        ClockSource clocks = host.clocks();
        ProcessResources baseline = baseline();
        org.osgi.service.cm.Configuration cfg = factoryConfiguration(FACTORY_PID, "aioloop.device", "rtc-it",
                "rtcPeriodMs", 5L, "heartbeatPeriodMs", 5L);
        Bundle b = installDevice(BUNDLE);
        try {
            DeviceInfo info = awaitDevice("rtc-it", DeviceState.ATTACHED);
            assertEquals(AioContext.MAIN, info.context());
            assertTrue(info.resources().toString(), info.resources().contains("timer 'rtc'"));
            assertTrue(info.resources().toString(), info.resources().contains("timer 'heartbeat'"));
            DeviceHandler device = deviceService("rtc-it");
            await("the RTC counts", () -> callLong(device, "rtcTicks") >= 4, () -> call(device, "rtcTicks") + " ticks");

            for (int round = 0; round < 3; round++) {
                clocks.stopVirtual();
                // After a pass on the device's home thread, no RTC callback is half-way through.
                onHomeThread(host.context(AioContext.MAIN), () -> { });
                long rtc = callLong(device, "rtcTicks");
                long virtualNow = clocks.nanos(ClockType.VIRTUAL);
                long beats = callLong(device, "heartbeats");
                // Ten REALTIME periods pass: two RTC periods would have been counted were VIRTUAL running.
                await("round " + round + ": heartbeats go on while VIRTUAL is stopped",
                        () -> callLong(device, "heartbeats") >= beats + 10, () -> call(device, "heartbeats") + " beats");
                assertEquals("round " + round + ": RTC ticks while VIRTUAL is stopped", rtc, callLong(device, "rtcTicks"));
                assertEquals("round " + round + ": the VIRTUAL clock stands still", virtualNow,
                        clocks.nanos(ClockType.VIRTUAL));
                clocks.resumeVirtual();
                await("round " + round + ": the RTC counts on after resume", () -> callLong(device, "rtcTicks") >= rtc + 2,
                        () -> call(device, "rtcTicks") + " ticks, from " + rtc);
            }

            removeDevice(b, "rtc-it");
            b = null;
        } finally {
            clocks.resumeVirtual();
            if (b != null) {
                b.uninstall();
            }
            deleteQuietly(cfg);
        }
        assertNothingLeft(baseline);
    }

    @Test
    public void anUnpettedWatchdogPausesTheVirtualClock() throws Exception {
        LoopHost host = host();
        ClockSource clocks = host.clocks();
        ProcessResources baseline = baseline();
        org.osgi.service.cm.Configuration cfg = factoryConfiguration(FACTORY_PID, "aioloop.device", "dog-it",
                "rtcPeriodMs", 1000L, "heartbeatPeriodMs", 0L, "watchdogClock", "REALTIME", "watchdogTimeoutMs", 30L,
                "watchdogAction", "pause");
        Bundle b = installDevice(BUNDLE);
        try {
            assertTrue("VIRTUAL runs before the watchdog bites", clocks.isVirtualRunning());
            awaitDevice("dog-it", DeviceState.ATTACHED);
            DeviceHandler device = deviceService("dog-it");
            await("the watchdog pauses the VIRTUAL clock", () -> !clocks.isVirtualRunning(),
                    () -> call(device, "watchdogExpiries") + " expiries");
            assertTrue("paused by the watchdog", callLong(device, "watchdogExpiries") >= 1);
            removeDevice(b, "dog-it");
            b = null;
        } finally {
            clocks.resumeVirtual();
            if (b != null) {
                b.uninstall();
            }
            deleteQuietly(cfg);
        }
        assertTrue(clocks.isVirtualRunning());
        assertNothingLeft(baseline);
    }
}
