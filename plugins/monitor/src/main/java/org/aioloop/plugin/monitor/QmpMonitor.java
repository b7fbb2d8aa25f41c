package org.aioloop.plugin.monitor;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.device.DeviceContext;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.host.LoopHost;
import org.aioloop.plugin.stream.ListenAddress;
import org.aioloop.plugin.stream.RunDirectory;
import org.aioloop.plugin.stream.ServerLimits;
import org.aioloop.plugin.stream.ServerStats;
import org.aioloop.plugin.stream.StreamServer;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A management monitor in the spirit of QEMU's QMP: one JSON object per line over a Unix socket
 * (mode 0600) or, if configured, TCP on loopback, served from the {@code iohandler} context so a
 * nested poll of the main context never runs it.
 *
 * <p>A client gets a greeting {@code {"QMP": {...}}}, must send {@code qmp_capabilities}, and can
 * then run the built-in commands: {@code query-commands}, {@code query-status},
 * {@code query-backends}, {@code set-backend}, {@code query-iothreads}, {@code query-devices},
 * {@code query-stats}, {@code stop}, {@code cont}, {@code quit}, and, when the block-file bundle is
 * there, {@code query-block}, {@code block-read}, {@code block-write}, {@code block-flush}. Anything
 * else, malformed JSON,
 * oversized lines and bad arguments get {@code {"error": {"class": ..., "desc": ...}}}; the
 * connection and the loop go on.
 *
 * <p>Configuration PID {@code org.aioloop.monitor} (optional: the defaults listen on
 * {@code aioloop-monitor.sock} in the run directory, the framework property {@code aioloop.run.dir},
 * or in the working directory when that is not set).
 */
public final class QmpMonitor implements DeviceHandler {
    /** The configuration PID. */
    public static final String PID = "org.aioloop.monitor";
    /** The version the greeting announces. */
    public static final String VERSION = "0.1.0";

    /** The monitor's configuration (OSGi Metatype). */
    @ObjectClassDefinition(name = "aioloop monitor", description = "A QMP-style JSON monitor.")
    public @interface Config {
        /** @return the device name */
        @AttributeDefinition(description = "Device name, unique in the host")
        String aioloop_device() default "monitor";

        /** @return the context */
        @AttributeDefinition(description = "Context to attach to (iohandler: never run by a nested poll of main)")
        String aioloop_context() default "iohandler";

        /** @return unix or tcp */
        @AttributeDefinition(description = "unix (default) or tcp")
        String transport() default "unix";

        /** @return the socket path */
        @AttributeDefinition(description = "Unix socket path (mode 0600); a relative one is in the run directory (framework property aioloop.run.dir) when that is set")
        String path() default "aioloop-monitor.sock";

        /** @return the TCP host */
        @AttributeDefinition(description = "TCP address (numeric); loopback unless allowRemote")
        String host() default "127.0.0.1";

        /** @return the TCP port */
        @AttributeDefinition(description = "TCP port; 0 = ephemeral")
        int port() default 4444;

        /** @return whether non-loopback is allowed */
        @AttributeDefinition(description = "Allow a non-loopback TCP address (not recommended: the monitor controls the host)")
        boolean allowRemote() default false;

        /** @return the client limit */
        @AttributeDefinition(description = "Most clients at once")
        int maxClients() default 4;

        /** @return the line limit */
        @AttributeDefinition(description = "Longest request line, bytes")
        int maxLineBytes() default 65536;

        /** @return the output limit */
        @AttributeDefinition(description = "Output buffer per client, bytes")
        int outputLimitBytes() default 262144;

        /** @return commands in flight per client */
        @AttributeDefinition(description = "Replies a client may have outstanding before it is not read from")
        int maxInFlight() default 8;

        /** @return the command timeout */
        @AttributeDefinition(description = "Longest a command may take before it is answered with an error, ms")
        long commandTimeoutMs() default 30000;
    }

    private final String name;
    private final LoopHost host;
    private final ListenAddress address;
    private final ServerLimits limits;
    private final int maxLineBytes;
    private final int maxInFlight;
    private final long commandTimeoutMs;
    private final Supplier<? extends Collection<?>> blockSource;
    private volatile StreamServer server; // set and cleared on the home thread

    /**
     * @param name             the device name
     * @param host             the host to inspect and steer
     * @param address          where to listen
     * @param limits           clients and buffers
     * @param maxLineBytes     the longest request line
     * @param maxInFlight      replies outstanding per client before it is not read from
     * @param commandTimeoutMs the longest a command may take
     * @throws InvalidConfigurationException naming a bad value
     */
    public QmpMonitor(String name, LoopHost host, ListenAddress address, ServerLimits limits, int maxLineBytes,
            int maxInFlight, long commandTimeoutMs) {
        this(name, host, address, limits, maxLineBytes, maxInFlight, commandTimeoutMs, null);
    }

    /**
     * A monitor that also serves the block commands ({@code query-block}, {@code block-read},
     * {@code block-write}, {@code block-flush}) for plain-Java hosts.
     *
     * @param name             the device name
     * @param host             the host to inspect and steer
     * @param address          where to listen
     * @param limits           clients and buffers
     * @param maxLineBytes     the longest request line
     * @param maxInFlight      replies outstanding per client before it is not read from
     * @param commandTimeoutMs the longest a command may take
     * @param blockDevices     the block-file devices now (asked on every command), or null: the
     *                         block commands see no devices
     * @throws InvalidConfigurationException naming a bad value
     */
    public QmpMonitor(String name, LoopHost host, ListenAddress address, ServerLimits limits, int maxLineBytes,
            int maxInFlight, long commandTimeoutMs, Supplier<? extends Collection<?>> blockDevices) {
        if (maxLineBytes < 64 || maxLineBytes > (1 << 24)) {
            throw new InvalidConfigurationException("maxLineBytes", maxLineBytes, "must be 64..16777216");
        }
        if (maxInFlight < 1) {
            throw new InvalidConfigurationException("maxInFlight", maxInFlight, "must be >= 1");
        }
        if (commandTimeoutMs < 1) {
            throw new InvalidConfigurationException("commandTimeoutMs", commandTimeoutMs, "must be >= 1");
        }
        this.name = name;
        this.host = host;
        this.address = address;
        this.limits = limits;
        this.maxLineBytes = maxLineBytes;
        this.maxInFlight = maxInFlight;
        this.commandTimeoutMs = commandTimeoutMs;
        this.blockSource = blockDevices != null ? blockDevices : List::of; // block commands, no devices
    }

    /**
     * From a configuration: the OSGi component ({@link QmpMonitorComponent}) builds the monitor with
     * this constructor.
     *
     * @param host         the host
     * @param c            the configuration
     * @param runDir       the run directory ({@link RunDirectory#PROPERTY}) a relative Unix path is
     *                     resolved against, or null for the working directory
     * @param blockDevices the block-file devices now (asked on every command), or null: none
     * @throws InvalidConfigurationException naming a bad value
     */
    public QmpMonitor(LoopHost host, Config c, String runDir, Supplier<? extends Collection<?>> blockDevices) {
        this(c.aioloop_device(), host, ListenAddress.of(c.transport(), c.host(), c.port(),
                        RunDirectory.resolveSocketPath(c.transport(), c.path(), runDir), c.allowRemote()),
                new ServerLimits(c.maxClients(), 4096, c.outputLimitBytes(), 16), c.maxLineBytes(), c.maxInFlight(),
                c.commandTimeoutMs(), blockDevices);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void attach(DeviceContext ctx) {
        Json json = new Json(maxLineBytes);
        // quit: the reply goes out in this pass; the host is asked to stop in the next one
        HostCommands commands = new HostCommands(host, json, () -> ctx.scheduleOneshot(host::shutdown), blockSource);
        server = new StreamServer(name, address, limits,
                new QmpProtocol(json, commands, ctx, maxLineBytes, maxInFlight, commandTimeoutMs, VERSION));
        server.start(ctx);
    }

    @Override
    public void detach(DeviceContext ctx) {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /**
     * @return where the monitor listens
     */
    public ListenAddress address() {
        return address;
    }

    /**
     * @return the TCP port (the real one when configured as 0), 0 for a Unix socket
     */
    public int localPort() {
        StreamServer s = server;
        return s == null ? 0 : s.localPort();
    }

    /**
     * @return the server's counters, or zeros when detached
     */
    public ServerStats stats() {
        StreamServer s = server;
        return s == null ? new ServerStats(0, 0, 0, 0, 0, 0) : s.stats();
    }

    /**
     * @return the built-in command names (besides {@code qmp_capabilities})
     */
    public static Set<String> commandNames() {
        return new HostCommands(null, null, () -> { }, List::of).names();
    }
}
