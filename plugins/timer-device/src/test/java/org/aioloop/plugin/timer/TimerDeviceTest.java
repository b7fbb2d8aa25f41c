package org.aioloop.plugin.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.aioloop.api.ClockType;
import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.core.ManualClockSource;
import org.aioloop.plugin.testkit.DeviceHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The timer device on a real context with a manual clock, driven from the test thread.
 */
class TimerDeviceTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final ManualClockSource clock = new ManualClockSource();
    private DeviceHarness harness;

    @BeforeEach
    void start() {
        harness = DeviceHarness.builder().clocks(clock).threaded(false).build();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private void advance(long nanos) {
        clock.advance(nanos);
        harness.pollOnce();
    }

    @Test
    void rtcCountsVirtualPeriodsWithoutDrift() {
        TimerDevice d = new TimerDevice("t", 1000, 0, ClockType.VIRTUAL, 0, WatchdogAction.NONE);
        harness.attach(d);
        advance(SECOND / 2);
        assertEquals(0, d.rtcTicks());
        advance(SECOND / 2);
        assertEquals(1, d.rtcTicks());
        advance(3 * SECOND + SECOND / 2); // a late pass counts every period that passed
        assertEquals(4, d.rtcTicks());
        advance(SECOND / 2);
        assertEquals(5, d.rtcTicks(), "deadlines are absolute: the half period is not lost");
    }

    @Test
    void stoppedVirtualClockStopsTheRtcButNotTheHeartbeat() {
        TimerDevice d = new TimerDevice("t", 1000, 1000, ClockType.VIRTUAL, 0, WatchdogAction.NONE);
        harness.attach(d);
        advance(2 * SECOND);
        assertEquals(2, d.rtcTicks());
        assertEquals(2, d.heartbeats());

        clock.stopVirtual();
        for (int i = 0; i < 5; i++) {
            advance(SECOND);
        }
        assertEquals(2, d.rtcTicks(), "virtual timers do not fire while VIRTUAL is stopped");
        assertEquals(7, d.heartbeats(), "REALTIME goes on");

        clock.resumeVirtual();
        advance(SECOND / 2);
        assertEquals(2, d.rtcTicks());
        advance(SECOND / 2);
        assertEquals(3, d.rtcTicks(), "resumes from where it stopped, not from wall time");
    }

    @Test
    void watchdogBitesWhenNotPettedAndKeepsWatching() {
        TimerDevice d = new TimerDevice("t", 1000, 0, ClockType.REALTIME, 500, WatchdogAction.NONE);
        harness.attach(d);
        advance(SECOND / 2 - 1);
        assertEquals(0, d.watchdogExpiries());
        advance(1);
        assertEquals(1, d.watchdogExpiries());
        advance(SECOND / 2);
        assertEquals(2, d.watchdogExpiries());
    }

    @Test
    void pettingKeepsTheWatchdogQuiet() {
        TimerDevice d = new TimerDevice("t", 1000, 0, ClockType.REALTIME, 500, WatchdogAction.NONE);
        harness.attach(d);
        for (int i = 0; i < 20; i++) {
            advance(SECOND / 4);
            d.pet();
        }
        assertEquals(0, d.watchdogExpiries());
    }

    @Test
    void virtualWatchdogIsPausedWithTheMachine() {
        TimerDevice d = new TimerDevice("t", 1000, 0, ClockType.VIRTUAL, 500, WatchdogAction.NONE);
        harness.attach(d);
        clock.stopVirtual();
        advance(10 * SECOND);
        assertEquals(0, d.watchdogExpiries(), "a stopped machine cannot pet, so it is not bitten");
        clock.resumeVirtual();
        advance(SECOND / 2);
        assertEquals(1, d.watchdogExpiries());
    }

    @Test
    void realtimeWatchdogBitesWhileVirtualIsStopped() {
        TimerDevice d = new TimerDevice("t", 1000, 0, ClockType.REALTIME, 500, WatchdogAction.NONE);
        harness.attach(d);
        clock.stopVirtual();
        advance(SECOND / 2);
        assertEquals(1, d.watchdogExpiries());
    }

    @Test
    void pauseActionStopsTheVirtualClock() {
        TimerDevice d = new TimerDevice("t", 1000, 0, ClockType.REALTIME, 500, WatchdogAction.PAUSE);
        harness.attach(d);
        assertTrue(clock.isVirtualRunning());
        advance(SECOND / 2);
        assertEquals(1, d.watchdogExpiries());
        assertFalse(clock.isVirtualRunning());
    }

    @Test
    void detachLeavesNothingBehind() {
        TimerDevice d = new TimerDevice("t", 1000, 1000, ClockType.VIRTUAL, 500, WatchdogAction.NONE);
        var view = harness.attach(d);
        assertEquals(3, view.liveResources().size(), view.liveResources().toString());
        assertEquals(List.of(), harness.detach(d));
        advance(10 * SECOND);
        assertEquals(0, d.rtcTicks());
        assertEquals(0, d.watchdogExpiries());
    }

    @Test
    void badConfigurationNamesTheKey() {
        assertEquals("rtcPeriodMs", assertThrows(InvalidConfigurationException.class,
                () -> new TimerDevice("t", 0, 0, ClockType.VIRTUAL, 0, WatchdogAction.NONE)).key());
        assertEquals("watchdogClock", assertThrows(InvalidConfigurationException.class,
                () -> new TimerDevice("t", 1, 0, ClockType.HOST, 0, WatchdogAction.NONE)).key());
        assertEquals("watchdogTimeoutMs", assertThrows(InvalidConfigurationException.class,
                () -> new TimerDevice("t", 1, 0, ClockType.VIRTUAL, -1, WatchdogAction.NONE)).key());
        assertEquals("watchdogAction", assertThrows(InvalidConfigurationException.class,
                () -> WatchdogAction.parse("reboot")).key());
    }
}
