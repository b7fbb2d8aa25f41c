package org.aioloop.plugin.stream;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

import org.aioloop.api.InvalidConfigurationException;

/**
 * Where a server listens: a TCP host and port, or a Unix-socket path.
 *
 * <p>Security default: TCP listeners bind a loopback address unless {@code allowRemote} is set, and
 * Unix sockets are created with mode 0600 (owner only).
 */
public final class ListenAddress {
    /** The transports. */
    public enum Transport {
        /** TCP over IPv4 or IPv6. */
        TCP,
        /** A Unix-domain stream socket. */
        UNIX
    }

    private final Transport transport;
    private final String host;
    private final int port;
    private final Path path;

    private ListenAddress(Transport transport, String host, int port, Path path) {
        this.transport = transport;
        this.host = host;
        this.port = port;
        this.path = path;
    }

    /**
     * @param host        a numeric address ({@code 127.0.0.1}, {@code ::1}) or {@code localhost}
     * @param port        0 for an ephemeral port, else 1..65535
     * @param allowRemote whether a non-loopback address is allowed
     * @return the address
     * @throws InvalidConfigurationException naming {@code host} or {@code port}
     */
    public static ListenAddress tcp(String host, int port, boolean allowRemote) {
        if (port < 0 || port > 65535) {
            throw new InvalidConfigurationException("port", port, "must be 0 (ephemeral) or 1..65535");
        }
        if (host == null || host.isBlank()) {
            throw new InvalidConfigurationException("host", host, "must be an address, e.g. 127.0.0.1 or ::1");
        }
        String numeric = "localhost".equalsIgnoreCase(host) ? "127.0.0.1" : host;
        InetAddress address;
        try {
            // Only numeric forms are accepted: no name lookups in a device's attach.
            if (!numeric.matches("[0-9a-fA-F:.%]+")) {
                throw new UnknownHostException(numeric);
            }
            address = InetAddress.getByName(numeric);
        } catch (UnknownHostException e) {
            throw new InvalidConfigurationException("host", host, "must be a numeric IPv4 or IPv6 address or localhost");
        }
        if (!allowRemote && !address.isLoopbackAddress()) {
            throw new InvalidConfigurationException("host", host,
                    "is not a loopback address; set allowRemote=true to listen on other interfaces");
        }
        return new ListenAddress(Transport.TCP, address.getHostAddress(), port, null);
    }

    /**
     * @param path the socket file; an existing socket file there is replaced, anything else is an
     *             error at bind time
     * @return the address
     * @throws InvalidConfigurationException naming {@code path} if empty or too long for
     *                                       {@code sockaddr_un}
     */
    public static ListenAddress unix(Path path) {
        if (path == null || path.toString().isEmpty()) {
            throw new InvalidConfigurationException("path", path, "must name a socket file");
        }
        if (path.toAbsolutePath().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 107) {
            throw new InvalidConfigurationException("path", path, "is longer than the 107 bytes sockaddr_un allows");
        }
        return new ListenAddress(Transport.UNIX, null, 0, path.toAbsolutePath());
    }

    /**
     * Builds an address from the usual configuration keys.
     *
     * @param transport   {@code tcp} or {@code unix} (case-insensitive)
     * @param host        for tcp
     * @param port        for tcp
     * @param path        for unix
     * @param allowRemote for tcp
     * @return the address
     * @throws InvalidConfigurationException naming the bad key
     */
    public static ListenAddress of(String transport, String host, int port, String path, boolean allowRemote) {
        if ("tcp".equalsIgnoreCase(transport)) {
            return tcp(host, port, allowRemote);
        }
        if ("unix".equalsIgnoreCase(transport)) {
            return unix(path == null || path.isEmpty() ? null : Path.of(path));
        }
        throw new InvalidConfigurationException("transport", transport, "must be tcp or unix");
    }

    /**
     * @return the transport
     */
    public Transport transport() {
        return transport;
    }

    /**
     * @return the numeric host (TCP), else null
     */
    public String host() {
        return host;
    }

    /**
     * @return the configured port (TCP; 0 = ephemeral)
     */
    public int port() {
        return port;
    }

    /**
     * @return the socket path (UNIX), else null
     */
    public Path path() {
        return path;
    }

    @Override
    public String toString() {
        return transport == Transport.TCP ? (host.indexOf(':') >= 0 ? "tcp:[" + host + "]:" + port : "tcp:" + host + ":" + port)
                : "unix:" + path;
    }
}
