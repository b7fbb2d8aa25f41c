package org.aioloop.bench.peer;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;

/**
 * Netty 4.2 as a peer: one {@code MultiThreadIoEventLoopGroup} of a single loop, with either the
 * native epoll transport ({@code EpollIoHandler}) or the NIO one ({@code NioIoHandler}).
 */
public final class NettyPeer implements Peer {
    /** Which Netty transport. */
    public enum Transport {
        /** {@code EpollIoHandler}: Netty's JNI epoll transport. */
        EPOLL,
        /** {@code NioIoHandler}: Netty over the JDK selector. */
        NIO
    }

    private final Transport transport;

    /**
     * @param transport the transport
     */
    public NettyPeer(Transport transport) {
        this.transport = transport;
    }

    @Override
    public String name() {
        return transport == Transport.EPOLL ? "netty-epoll" : "netty-nio";
    }

    @Override
    public boolean isAioloop() {
        return false;
    }

    @Override
    public BenchLoop start(String threadName) {
        IoHandlerFactory factory;
        if (transport == Transport.EPOLL) {
            Epoll.ensureAvailability();
            factory = EpollIoHandler.newFactory();
        } else {
            factory = NioIoHandler.newFactory();
        }
        return new NettyLoop(transport, threadName, factory);
    }
}
