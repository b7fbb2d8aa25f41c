package org.aioloop.plugin.stream;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.aioloop.api.AioContext;
import org.aioloop.api.AioException;
import org.aioloop.api.ClockType;
import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.NativeCallException;
import org.aioloop.api.Timer;
import org.aioloop.posix.Errno;
import org.aioloop.posix.NativeBuffer;
import org.aioloop.posix.Posix;
import org.aioloop.posix.Sockets;

/**
 * A non-blocking stream-socket server on an {@link AioContext}: listens on a TCP address or a
 * Unix socket, accepts clients up to a limit, and hands their bytes to a {@link StreamProtocol}.
 *
 * <ul>
 * <li>Accepting is level-triggered and batched (at most {@value #ACCEPT_BATCH} per pass), so a
 *     reconnect storm cannot starve the other handlers of the context.</li>
 * <li>A connection beyond {@code maxClients} is accepted, told {@code "error: too many clients"}
 *     (best effort) and closed at once, so the peer sees a clean close rather than a hang in the
 *     backlog.</li>
 * <li>When accept fails for lack of fds ({@code EMFILE}/{@code ENFILE}), the listening fd would stay
 *     readable and the level-triggered loop would spin; accepting is paused for
 *     {@value #ACCEPT_RETRY_MS} ms instead.</li>
 * <li>Buffers come from two {@link BufferPool}s, so clients coming and going allocate no native
 *     memory in steady state.</li>
 * </ul>
 * Home thread only: {@link #start} and {@link #stop} belong in a device's attach and detach; a
 * stopped server can be started again.
 */
public final class StreamServer {
    /** The most connections accepted in one pass. */
    public static final int ACCEPT_BATCH = 16;
    /** How long accepting pauses after EMFILE/ENFILE. */
    public static final long ACCEPT_RETRY_MS = 100;
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final System.Logger LOG = System.getLogger(StreamServer.class.getName());

    private final String name;
    private final ListenAddress address;
    private final ServerLimits limits;
    private final StreamProtocol protocol;
    private final List<StreamClient> clients = new ArrayList<>();
    private BufferPool inputPool;
    private BufferPool outputPool;
    private AioContext context;
    private Timer acceptRetry;
    private NativeBuffer busyMessage;
    private int busyLength;
    private int listenFd = -1;
    private int localPort;
    private long nextId;
    private boolean stopping;
    private volatile long accepted;
    private volatile long rejected;
    private volatile long acceptPauses;
    private volatile long bytesIn;
    private volatile long bytesOut;
    private volatile int active;

    /**
     * @param name     for diagnostics (the device's name)
     * @param address  where to listen
     * @param limits   the bounds
     * @param protocol what the bytes mean
     */
    public StreamServer(String name, ListenAddress address, ServerLimits limits, StreamProtocol protocol) {
        this.name = name;
        this.address = address;
        this.limits = limits;
        this.protocol = protocol;
    }

    /**
     * Binds, listens and starts accepting on {@code ctx}.
     *
     * @param ctx the context (a device's view); its home thread runs everything
     * @throws AioException naming the address if it cannot listen (e.g. {@code EADDRINUSE}); nothing
     *                      stays open then
     * @throws InvalidConfigurationException if a Unix socket path exists and is not a socket
     */
    public void start(AioContext ctx) {
        if (listenFd >= 0) {
            throw new IllegalStateException("device '" + name + "': server already started");
        }
        this.context = ctx;
        this.stopping = false;
        this.inputPool = new BufferPool(limits.readChunk(), limits.maxClients());
        this.outputPool = new BufferPool(limits.outputLimit(), limits.maxClients());
        int fd;
        try {
            if (address.transport() == ListenAddress.Transport.TCP) {
                fd = Sockets.listenTcp(address.host(), address.port(), limits.backlog());
            } else {
                removeStaleSocket(address.path());
                fd = Sockets.listenUnix(address.path(), limits.backlog());
            }
        } catch (NativeCallException e) {
            throw new AioException("device '" + name + "': cannot listen on " + address + ": " + e.getMessage(), e);
        }
        listenFd = fd;
        try {
            localPort = address.transport() == ListenAddress.Transport.TCP ? Sockets.localPort(fd) : 0;
            byte[] busy = protocol.rejectMessage().getBytes(StandardCharsets.UTF_8);
            busyLength = busy.length;
            busyMessage = NativeBuffer.allocate(Math.max(1, busy.length));
            busyMessage.bytes().put(0, busy);
            acceptRetry = ctx.newTimer(ClockType.REALTIME, name + " accept-retry", this::resumeAccepting);
            ctx.setFdHandler(fd, this::onAcceptable, null);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private void removeStaleSocket(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // Only a socket file (a leftover of a previous run) is replaced; a regular file, directory or
        // link at the path is somebody else's and is an error.
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & S_IFMT) != S_IFSOCK) {
                throw new InvalidConfigurationException("path", path, "exists and is not a socket");
            }
            Files.delete(path);
        } catch (IOException e) {
            throw new AioException("device '" + name + "': cannot remove stale socket " + path + ": " + e, e);
        }
    }

    private void onAcceptable(int fd, int revents) {
        for (int i = 0; i < ACCEPT_BATCH; i++) {
            int client;
            try {
                client = Sockets.accept(fd);
            } catch (NativeCallException e) {
                if (e.errno() == Errno.EMFILE || e.errno() == Errno.ENFILE || e.errno() == Errno.ENOBUFS
                        || e.errno() == Errno.ENOMEM) {
                    pauseAccepting(e);
                } else {
                    LOG.log(Level.WARNING, "device ''{0}'': accept on {1} failed: {2}", name, address, e.getMessage());
                }
                return;
            }
            if (client < 0) {
                return; // nothing more pending
            }
            if (active >= limits.maxClients()) {
                reject(client);
                continue;
            }
            if (address.transport() == ListenAddress.Transport.TCP) {
                // Every protocol on this server is small request/response lines: a reply must not
                // wait for the ACK of the previous one (QEMU's chardev `nodelay`, Netty's default).
                try {
                    Sockets.setTcpNoDelay(client, true);
                } catch (NativeCallException e) {
                    // best effort: a peer that is already gone shows up as EOF on the first read
                }
            }
            StreamClient c = new StreamClient(this, context, protocol, client, ++nextId, inputPool.acquire(),
                    outputPool.acquire());
            c.index = clients.size();
            clients.add(c);
            active = clients.size();
            accepted++;
            c.open();
        }
    }

    private void reject(int fd) {
        rejected++;
        try {
            Posix.write(fd, busyMessage.address(), busyLength); // best effort: a new socket has room
        } catch (NativeCallException e) {
            // the peer is gone already; closing is all that is left
        }
        try {
            Posix.close(fd);
        } catch (NativeCallException e) {
            // released anyway
        }
    }

    private void pauseAccepting(NativeCallException why) {
        acceptPauses++;
        LOG.log(Level.WARNING, "device ''{0}'': accept on {1} failed ({2}); pausing accepts for {3} ms",
                name, address, why.errnoName(), ACCEPT_RETRY_MS);
        context.removeFdHandler(listenFd);
        acceptRetry.modIn(ACCEPT_RETRY_MS, TimeUnit.MILLISECONDS);
    }

    private void resumeAccepting() {
        if (listenFd >= 0 && !stopping) {
            context.setFdHandler(listenFd, this::onAcceptable, null);
        }
    }

    void clientClosed(StreamClient c, NativeBuffer input, NativeBuffer output) {
        // swap-remove: O(1), order does not matter
        int last = clients.size() - 1;
        StreamClient moved = clients.get(last);
        clients.set(c.index, moved);
        moved.index = c.index;
        clients.remove(last);
        active = clients.size();
        inputPool.release(input);
        outputPool.release(output);
    }

    void countIn(long n) {
        bytesIn += n;
    }

    void countOut(long n) {
        bytesOut += n;
    }

    boolean isStopping() {
        return stopping;
    }

    /**
     * Closes every client ({@code "server stopped"}), the listener and the Unix socket file, and
     * frees the buffers. Idempotent.
     */
    public void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        while (!clients.isEmpty()) {
            clients.get(clients.size() - 1).close("server stopped");
        }
        if (acceptRetry != null) {
            acceptRetry.close();
            acceptRetry = null;
        }
        if (listenFd >= 0) {
            context.removeFdHandler(listenFd);
            try {
                Posix.close(listenFd);
            } catch (NativeCallException e) {
                // released anyway
            }
            listenFd = -1;
            if (address.transport() == ListenAddress.Transport.UNIX) {
                try {
                    Files.deleteIfExists(address.path());
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "device ''{0}'': cannot remove {1}: {2}", name, address.path(), e);
                }
            }
        }
        if (busyMessage != null) {
            busyMessage.close();
            busyMessage = null;
        }
        if (inputPool != null) {
            inputPool.close();
            outputPool.close();
        }
    }

    /**
     * @return the TCP port listened on (the ephemeral one for port 0), or 0 for a Unix socket
     */
    public int localPort() {
        return localPort;
    }

    /**
     * @return where the server listens
     */
    public ListenAddress address() {
        return address;
    }

    /**
     * @return the connected clients (home thread; a copy)
     */
    public List<StreamClient> clients() {
        return List.copyOf(clients);
    }

    /**
     * @return the counters (any thread)
     */
    public ServerStats stats() {
        return new ServerStats(accepted, rejected, active, acceptPauses, bytesIn, bytesOut);
    }

    /**
     * @return buffers handed to clients and not yet returned (for leak checks)
     */
    public int buffersOutstanding() {
        return inputPool == null ? 0 : inputPool.outstanding() + outputPool.outstanding();
    }
}
