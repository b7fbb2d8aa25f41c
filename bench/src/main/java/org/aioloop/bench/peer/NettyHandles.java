package org.aioloop.bench.peer;

import java.nio.channels.SelectableChannel;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.unix.FileDescriptor;

/**
 * Netty {@code IoHandle}s that run one callback per readiness event and own nothing (closing the
 * fd stays with whoever opened it).
 */
final class NettyHandles {
    private NettyHandles() {
    }

    /** An {@link EpollIoHandle} for a raw fd. */
    static final class Epoll implements EpollIoHandle {
        private final FileDescriptor fd;
        private final Runnable onReady;

        Epoll(FileDescriptor fd, Runnable onReady) {
            this.fd = fd;
            this.onReady = onReady;
        }

        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            onReady.run();
        }

        @Override
        public void close() {
        }
    }

    /** A {@link NioIoHandle} for a selectable channel. */
    static final class Nio implements NioIoHandle {
        private final SelectableChannel channel;
        private final Runnable onReady;

        Nio(SelectableChannel channel, Runnable onReady) {
            this.channel = channel;
            this.onReady = onReady;
        }

        @Override
        public SelectableChannel selectableChannel() {
            return channel;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            onReady.run();
        }

        @Override
        public void close() {
        }
    }
}
