package org.aioloop.plugin.template;

import java.util.concurrent.TimeUnit;

import org.aioloop.api.ClockType;
import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.Timer;
import org.aioloop.api.device.DeviceContext;
import org.aioloop.api.device.DeviceHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The template device: counts the ticks of a periodic REALTIME timer.
 *
 * <p>It shows the whole life of a device in a few lines. The core calls {@link #attach} on the home
 * thread of the context named by the service property {@code aioloop.context}; the device creates
 * its timer through the {@link DeviceContext} it is given (so the core can release it if the device
 * forgets), and the timer's callback re-arms it. {@link #detach} closes the timer. Everything the
 * loop calls runs on the home thread, so the counter needs no lock; {@link #ticks()} may be read
 * from any thread, hence {@code volatile}.
 *
 * <p>In OSGi, {@link TickCounterDeviceComponent} (a Declarative Services component with an optional
 * configuration, PID {@code org.aioloop.template}) builds it and registers it as a
 * {@link DeviceHandler}; as a plain JPMS module it is a {@code ServiceLoader} provider of
 * {@link DeviceHandler} with the defaults.
 */
public final class TickCounterDevice implements DeviceHandler {
    /** The configuration PID. */
    public static final String PID = "org.aioloop.template";

    /** The device's configuration (OSGi Metatype). */
    @ObjectClassDefinition(name = "aioloop template device", description = "Counts REALTIME timer ticks.")
    public @interface Config {
        /** @return the device name */
        @AttributeDefinition(description = "Device name, unique in the host")
        String aioloop_device() default "template";

        /** @return the context to attach to */
        @AttributeDefinition(description = "Context to attach to: main, iohandler or an IOThread name")
        String aioloop_context() default "main";

        /** @return the tick period in milliseconds */
        @AttributeDefinition(description = "Tick period in milliseconds (>= 1)")
        long intervalMs() default 1000;
    }

    private final String name;
    private final long intervalMs;
    private Timer timer;            // home thread only
    private volatile long ticks;    // written on the home thread, read anywhere

    /** A device with the defaults: name {@code template}, one tick per second. */
    public TickCounterDevice() {
        this("template", 1000);
    }

    /**
     * @param name       the device name
     * @param intervalMs the tick period in milliseconds
     * @throws InvalidConfigurationException if {@code intervalMs} is less than 1
     */
    public TickCounterDevice(String name, long intervalMs) {
        if (intervalMs < 1) {
            throw new InvalidConfigurationException("intervalMs", intervalMs, "must be >= 1");
        }
        this.name = name;
        this.intervalMs = intervalMs;
    }

    /**
     * From a configuration: the OSGi component builds the device with this constructor.
     *
     * @param config the configuration
     */
    public TickCounterDevice(Config config) {
        this(config.aioloop_device(), config.intervalMs());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void attach(DeviceContext context) {
        timer = context.newTimer(ClockType.REALTIME, "tick", this::onTick);
        timer.modIn(intervalMs, TimeUnit.MILLISECONDS);
    }

    private void onTick() {
        ticks++; // home thread only: a plain increment of a volatile is safe with one writer
        timer.modIn(intervalMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void detach(DeviceContext context) {
        if (timer != null) {
            timer.close();
            timer = null;
        }
    }

    /**
     * @return the ticks counted so far
     */
    public long ticks() {
        return ticks;
    }

    /**
     * @return the tick period in milliseconds
     */
    public long intervalMs() {
        return intervalMs;
    }
}
