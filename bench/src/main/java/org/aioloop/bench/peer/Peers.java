package org.aioloop.bench.peer;

import java.util.ArrayList;
import java.util.List;

/**
 * Every peer of the comparison in table order, and selection by name.
 */
public final class Peers {
    private Peers() {
    }

    /**
     * @return aioloop's configurations first, then Netty epoll, Netty NIO, the JDK selector loop
     */
    public static List<Peer> all() {
        return List.of(
                new AioloopPeer("aioloop-epoll", "epoll", 0, AioloopPeer.Driver.IOTHREAD, null),
                new AioloopPeer("aioloop-poll", "poll", 0, AioloopPeer.Driver.IOTHREAD, null),
                // QEMU's default: start on poll, move to epoll once 64 fds are registered (S3 only).
                new AioloopPeer("aioloop-auto", "poll", 64, AioloopPeer.Driver.IOTHREAD, "S3"),
                new AioloopPeer("aioloop-mainloop", "epoll", 0, AioloopPeer.Driver.MAINLOOP, null),
                new NettyPeer(NettyPeer.Transport.EPOLL),
                new NettyPeer(NettyPeer.Transport.NIO),
                new SelectorPeer());
    }

    /**
     * @param csv names such as {@code "aioloop-epoll,netty-epoll"}
     * @return those peers in the order given
     * @throws IllegalArgumentException naming an unknown peer
     */
    public static List<Peer> select(String csv) {
        List<Peer> out = new ArrayList<>();
        for (String name : csv.split(",")) {
            String want = name.trim();
            out.add(all().stream().filter(p -> p.name().equals(want)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown peer '" + want + "'")));
        }
        return out;
    }
}
