package org.aioloop.plugin.timer;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

import org.aioloop.api.ClockType;
import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.device.DeviceContext;
import org.aioloop.api.device.DeviceHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A watchdog and RTC-like timer device.
 *
 * <ul>
 * <li>An RTC on the VIRTUAL clock counts virtual periods ({@link #rtcTicks()}): it stops when the
 *     VIRTUAL clock is stopped (the monitor's {@code stop}) and goes on from where it was after
 *     {@code cont}.</li>
 * <li>A heartbeat on the REALTIME clock ({@link #heartbeats()}) keeps counting while VIRTUAL is
 *     stopped, as QEMU's REALTIME timers do.</li>
 * <li>A watchdog on either clock expires unless {@link #pet()} is called within its timeout; its
 *     action is to count and log, or to pause the VIRTUAL clock.</li>
 * </ul>
 *
 * <p>Configured by factory PID {@code org.aioloop.timer} (one device per configuration); it does not
 * start without one. Plain JPMS users get a device with the defaults from the no-argument
 * constructor.
 */
public final class TimerDevice implements DeviceHandler {
    /** The factory configuration PID. */
    public static final String FACTORY_PID = "org.aioloop.timer";
    private static final System.Logger LOG = System.getLogger(TimerDevice.class.getName());

    /** The device's configuration (OSGi Metatype). */
    @ObjectClassDefinition(name = "aioloop timer device", description = "Watchdog and RTC on REALTIME and VIRTUAL clocks.")
    public @interface Config {
        /** @return the device name */
        @AttributeDefinition(description = "Device name, unique in the host")
        String aioloop_device() default "timer0";

        /** @return the context to attach to */
        @AttributeDefinition(description = "Context to attach to: main, iohandler or an IOThread name")
        String aioloop_context() default "main";

        /** @return the RTC period */
        @AttributeDefinition(description = "RTC period on the VIRTUAL clock, in milliseconds (>= 1)")
        long rtcPeriodMs() default 1000;

        /** @return the heartbeat period, 0 for none */
        @AttributeDefinition(description = "Heartbeat period on the REALTIME clock, in milliseconds; 0 = off")
        long heartbeatPeriodMs() default 1000;

        /** @return the watchdog clock */
        @AttributeDefinition(description = "Clock of the watchdog: REALTIME or VIRTUAL")
        String watchdogClock() default "VIRTUAL";

        /** @return the watchdog timeout, 0 for none */
        @AttributeDefinition(description = "Watchdog timeout in milliseconds; 0 = no watchdog")
        long watchdogTimeoutMs() default 0;

        /** @return the watchdog action */
        @AttributeDefinition(description = "What an expired watchdog does: none (count and log) or pause (stop VIRTUAL)")
        String watchdogAction() default "none";
    }

    private final String name;
    private final PeriodicCounter rtc;
    private final PeriodicCounter heartbeat;
    private final Watchdog watchdog;
    private volatile DeviceContext context;

    /** A device with the defaults: 1 s RTC and heartbeat, no watchdog. */
    public TimerDevice() {
        this("timer0", 1000, 1000, ClockType.VIRTUAL, 0, WatchdogAction.NONE);
    }

    /**
     * @param name              the device name
     * @param rtcPeriodMs       RTC period on VIRTUAL (&gt;= 1)
     * @param heartbeatPeriodMs heartbeat period on REALTIME, 0 = off
     * @param watchdogClock     REALTIME or VIRTUAL
     * @param watchdogTimeoutMs watchdog timeout, 0 = off
     * @param action            what an expired watchdog does
     * @throws InvalidConfigurationException naming the key of a bad value
     */
    public TimerDevice(String name, long rtcPeriodMs, long heartbeatPeriodMs, ClockType watchdogClock,
            long watchdogTimeoutMs, WatchdogAction action) {
        if (rtcPeriodMs < 1) {
            throw new InvalidConfigurationException("rtcPeriodMs", rtcPeriodMs, "must be >= 1");
        }
        if (heartbeatPeriodMs < 0) {
            throw new InvalidConfigurationException("heartbeatPeriodMs", heartbeatPeriodMs, "must be >= 0");
        }
        if (watchdogTimeoutMs < 0) {
            throw new InvalidConfigurationException("watchdogTimeoutMs", watchdogTimeoutMs, "must be >= 0");
        }
        if (watchdogClock != ClockType.REALTIME && watchdogClock != ClockType.VIRTUAL) {
            throw new InvalidConfigurationException("watchdogClock", watchdogClock, "REALTIME or VIRTUAL");
        }
        this.name = name;
        this.rtc = new PeriodicCounter(ClockType.VIRTUAL, TimeUnit.MILLISECONDS.toNanos(rtcPeriodMs));
        this.heartbeat = heartbeatPeriodMs == 0 ? null
                : new PeriodicCounter(ClockType.REALTIME, TimeUnit.MILLISECONDS.toNanos(heartbeatPeriodMs));
        this.watchdog = watchdogTimeoutMs == 0 ? null
                : new Watchdog(watchdogClock, TimeUnit.MILLISECONDS.toNanos(watchdogTimeoutMs), () -> onWatchdog(action));
    }

    /**
     * From a configuration: the OSGi component builds the device with this constructor.
     *
     * @param c the configuration
     */
    public TimerDevice(Config c) {
        this(c.aioloop_device(), c.rtcPeriodMs(), c.heartbeatPeriodMs(), parseClock(c.watchdogClock()),
                c.watchdogTimeoutMs(), WatchdogAction.parse(c.watchdogAction()));
    }

    private static ClockType parseClock(String value) {
        if ("REALTIME".equalsIgnoreCase(value)) {
            return ClockType.REALTIME;
        }
        if ("VIRTUAL".equalsIgnoreCase(value)) {
            return ClockType.VIRTUAL;
        }
        throw new InvalidConfigurationException("watchdogClock", value, "REALTIME or VIRTUAL");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void attach(DeviceContext ctx) {
        context = ctx;
        rtc.start(ctx, "rtc");
        if (heartbeat != null) {
            heartbeat.start(ctx, "heartbeat");
        }
        if (watchdog != null) {
            watchdog.start(ctx);
        }
    }

    @Override
    public void detach(DeviceContext ctx) {
        rtc.stop();
        if (heartbeat != null) {
            heartbeat.stop();
        }
        if (watchdog != null) {
            watchdog.stop();
        }
        context = null;
    }

    private void onWatchdog(WatchdogAction action) {
        LOG.log(Level.WARNING, "watchdog of device ''{0}'' expired (action {1})", name, action);
        DeviceContext ctx = context;
        if (action == WatchdogAction.PAUSE && ctx != null) {
            ctx.clocks().stopVirtual();
        }
    }

    /** Restarts the watchdog's countdown; no effect without a watchdog. Any thread. */
    public void pet() {
        if (watchdog != null) {
            watchdog.pet();
        }
    }

    /**
     * @return VIRTUAL periods counted by the RTC
     */
    public long rtcTicks() {
        return rtc.count();
    }

    /**
     * @return REALTIME periods counted by the heartbeat (0 if off)
     */
    public long heartbeats() {
        return heartbeat == null ? 0 : heartbeat.count();
    }

    /**
     * @return how often the watchdog expired (0 if off)
     */
    public long watchdogExpiries() {
        return watchdog == null ? 0 : watchdog.expiries();
    }
}
