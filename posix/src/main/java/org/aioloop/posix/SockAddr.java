package org.aioloop.posix;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Builds {@code struct sockaddr_in}, {@code sockaddr_in6} and {@code sockaddr_un} by hand in native
 * memory. The family is in host order, ports and addresses in network order (big-endian).
 */
final class SockAddr {
    /** {@code sizeof(struct sockaddr_in)}. */
    static final int IN_SIZE = 16;
    /** {@code sizeof(struct sockaddr_in6)}. */
    static final int IN6_SIZE = 28;
    /** {@code sizeof(struct sockaddr_un)}: family + 108 bytes of path. */
    static final int UN_SIZE = 110;
    /** Longest Unix socket path, leaving room for the terminating NUL. */
    static final int UN_PATH_MAX = 107;
    /** Enough for any of them ({@code sizeof(struct sockaddr_storage)} is 128). */
    static final int STORAGE_SIZE = 128;

    private SockAddr() {
    }

    /**
     * @param address an {@link InetSocketAddress} (resolved) or a {@link UnixDomainSocketAddress}
     * @return the address family ({@link Sockets#AF_INET}, …)
     */
    static int family(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress) {
            return Sockets.AF_UNIX;
        }
        InetAddress ip = inet(address).getAddress();
        return ip instanceof Inet6Address ? Sockets.AF_INET6 : Sockets.AF_INET;
    }

    /**
     * Writes the sockaddr for {@code address} into {@code out} (at least {@link #STORAGE_SIZE} bytes).
     *
     * @return the sockaddr length to pass to bind/connect
     */
    static int write(SocketAddress address, NativeBuffer out) {
        if (address instanceof UnixDomainSocketAddress) {
            byte[] path = ((UnixDomainSocketAddress) address).getPath().toString().getBytes(StandardCharsets.UTF_8);
            if (path.length == 0 || path.length > UN_PATH_MAX) {
                throw new IllegalArgumentException("unix socket path must have 1.." + UN_PATH_MAX
                        + " bytes, has " + path.length + ": " + address);
            }
            out.putShort(0, (short) Sockets.AF_UNIX);
            for (int i = 0; i < path.length; i++) {
                out.putByte(2 + i, path[i]);
            }
            out.putByte(2 + path.length, (byte) 0);
            return 2 + path.length + 1;
        }
        InetSocketAddress inet = inet(address);
        InetAddress ip = inet.getAddress();
        byte[] raw = ip.getAddress();
        int port = inet.getPort();
        if (ip instanceof Inet4Address) {
            out.putShort(0, (short) Sockets.AF_INET);
            putPort(out, port);
            for (int i = 0; i < 4; i++) {
                out.putByte(4 + i, raw[i]);
            }
            out.putLong(8, 0L);
            return IN_SIZE;
        }
        out.putShort(0, (short) Sockets.AF_INET6);
        putPort(out, port);
        out.putInt(4, 0); // flowinfo
        for (int i = 0; i < 16; i++) {
            out.putByte(8 + i, raw[i]);
        }
        out.putInt(24, ((Inet6Address) ip).getScopeId());
        return IN6_SIZE;
    }

    /** @return the port of an AF_INET or AF_INET6 sockaddr in {@code in} */
    static int port(NativeBuffer in) {
        return ((in.getByte(2) & 0xff) << 8) | (in.getByte(3) & 0xff);
    }

    private static void putPort(NativeBuffer out, int port) {
        out.putByte(2, (byte) (port >>> 8));
        out.putByte(3, (byte) port);
    }

    private static InetSocketAddress inet(SocketAddress address) {
        if (!(address instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("unsupported socket address type: " + address);
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        if (inet.isUnresolved()) {
            throw new IllegalArgumentException("unresolved socket address: " + address);
        }
        return inet;
    }
}
