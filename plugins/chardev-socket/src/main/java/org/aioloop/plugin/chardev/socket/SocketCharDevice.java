package org.aioloop.plugin.chardev.socket;

import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.device.DeviceContext;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.plugin.stream.ListenAddress;
import org.aioloop.plugin.stream.RunDirectory;
import org.aioloop.plugin.stream.ServerLimits;
import org.aioloop.plugin.stream.ServerStats;
import org.aioloop.plugin.stream.StreamProtocol;
import org.aioloop.plugin.stream.StreamServer;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A character device over a stream socket (QEMU's {@code -chardev socket,server=on}): many clients
 * at once, in echo or line-console mode, over TCP (127.0.0.1 by default) or a Unix socket (mode
 * 0600). All I/O is non-blocking on the context's home thread through a {@link StreamServer}:
 * bounded pooled buffers, write interest only while output is pending, backpressure on clients that
 * do not read, hang-ups and errors cleaned up at once.
 *
 * <p>Configured by factory PID {@code org.aioloop.chardev}, one device per configuration, e.g. a
 * FileInstall file {@code org.aioloop.chardev-echo.cfg} with {@code port=4555}.
 */
public final class SocketCharDevice implements DeviceHandler {
    /** The factory configuration PID. */
    public static final String FACTORY_PID = "org.aioloop.chardev";

    /** The device's configuration (OSGi Metatype). */
    @ObjectClassDefinition(name = "aioloop socket chardev", description = "A character device over TCP or a Unix socket.")
    public @interface Config {
        /** @return the device name */
        @AttributeDefinition(description = "Device name, unique in the host")
        String aioloop_device() default "chardev0";

        /** @return the context */
        @AttributeDefinition(description = "Context to attach to: iohandler (default), main or an IOThread name")
        String aioloop_context() default "iohandler";

        /** @return tcp or unix */
        @AttributeDefinition(description = "tcp or unix")
        String transport() default "tcp";

        /** @return the TCP host */
        @AttributeDefinition(description = "TCP address to listen on (numeric); loopback unless allowRemote")
        String host() default "127.0.0.1";

        /** @return the TCP port */
        @AttributeDefinition(description = "TCP port; 0 = ephemeral")
        int port() default 4555;

        /** @return the Unix socket path */
        @AttributeDefinition(description = "Unix socket path (created with mode 0600); a relative one is in the run directory (framework property aioloop.run.dir) when that is set")
        String path() default "";

        /** @return whether non-loopback TCP addresses are allowed */
        @AttributeDefinition(description = "Allow a non-loopback TCP address")
        boolean allowRemote() default false;

        /** @return echo or console */
        @AttributeDefinition(description = "echo or console")
        String mode() default "echo";

        /** @return the client limit */
        @AttributeDefinition(description = "Most clients at once")
        int maxClients() default 16;

        /** @return the read buffer size */
        @AttributeDefinition(description = "Read buffer per client, bytes")
        int readBufferBytes() default 4096;

        /** @return the output limit */
        @AttributeDefinition(description = "Output buffer per client, bytes; a full buffer stops reading from that client")
        int outputLimitBytes() default 65536;

        /** @return the console line limit */
        @AttributeDefinition(description = "Longest console line, bytes")
        int maxLineBytes() default 1024;
    }

    private final String name;
    private final CharDevMode mode;
    private final StreamServer server;

    /**
     * @param name         the device name
     * @param address      where to listen
     * @param mode         echo or console
     * @param limits       clients and buffers
     * @param maxLineBytes the longest console line
     * @throws InvalidConfigurationException naming a bad value
     */
    public SocketCharDevice(String name, ListenAddress address, CharDevMode mode, ServerLimits limits, int maxLineBytes) {
        if (maxLineBytes < 1 || maxLineBytes > (1 << 20)) {
            throw new InvalidConfigurationException("maxLineBytes", maxLineBytes, "must be 1..1048576");
        }
        this.name = name;
        this.mode = mode;
        StreamServer[] self = new StreamServer[1];
        StreamProtocol protocol = mode == CharDevMode.ECHO ? new EchoProtocol()
                : new ConsoleProtocol(maxLineBytes, () -> self[0].stats());
        this.server = new StreamServer(name, address, limits, protocol);
        self[0] = server;
    }

    /**
     * From a configuration, a relative Unix path staying relative to the working directory.
     *
     * @param c the configuration
     * @throws InvalidConfigurationException naming a bad value
     */
    public SocketCharDevice(Config c) {
        this(c, null);
    }

    /**
     * From a configuration: the OSGi component builds the device with this constructor.
     *
     * @param c      the configuration
     * @param runDir the run directory ({@link RunDirectory#PROPERTY}) a relative Unix path is
     *               resolved against, or null for the working directory
     * @throws InvalidConfigurationException naming a bad value
     */
    public SocketCharDevice(Config c, String runDir) {
        this(c.aioloop_device(), ListenAddress.of(c.transport(), c.host(), c.port(),
                        RunDirectory.resolveSocketPath(c.transport(), c.path(), runDir), c.allowRemote()),
                CharDevMode.parse(c.mode()),
                new ServerLimits(c.maxClients(), c.readBufferBytes(), c.outputLimitBytes(), 64), c.maxLineBytes());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void attach(DeviceContext context) {
        server.start(context);
    }

    @Override
    public void detach(DeviceContext context) {
        server.stop();
    }

    /**
     * @return the TCP port listened on (the real one when configured as 0), 0 for Unix sockets
     */
    public int localPort() {
        return server.localPort();
    }

    /**
     * @return where the device listens
     */
    public ListenAddress address() {
        return server.address();
    }

    /**
     * @return the mode
     */
    public CharDevMode mode() {
        return mode;
    }

    /**
     * @return the server's counters
     */
    public ServerStats stats() {
        return server.stats();
    }

    /**
     * @return native buffers held by clients now (0 when none is connected)
     */
    public int buffersOutstanding() {
        return server.buffersOutstanding();
    }
}
