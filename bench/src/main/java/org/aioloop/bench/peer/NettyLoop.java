package org.aioloop.bench.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.Native;
import io.netty.channel.nio.NioIoOps;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;

/**
 * A single Netty {@link IoEventLoop} on its own thread. Raw fds are registered as
 * {@code EpollIoHandle}s (epoll) or {@code NioIoHandle}s (NIO) through {@link IoEventLoop#register},
 * Netty 4.2's public API for non-channel I/O.
 */
final class NettyLoop implements BenchLoop {
    private final NettyPeer.Transport transport;
    private final MultiThreadIoEventLoopGroup group;
    private final IoEventLoop loop;

    NettyLoop(NettyPeer.Transport transport, String threadName, IoHandlerFactory factory) {
        this.transport = transport;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName, true), factory);
        this.loop = group.next();
    }

    @Override
    public void runSync(Runnable task) {
        await(loop.submit(task));
    }

    @Override
    public Trigger newTrigger(Runnable task) {
        return () -> loop.execute(task);
    }

    @Override
    public BenchPipe openPipe() throws IOException {
        return transport == NettyPeer.Transport.EPOLL ? new NettyFdPipe() : new NioPipe();
    }

    @Override
    public AutoCloseable watchReadable(BenchPipe pipe, Runnable onReadable) {
        IoHandle handle = transport == NettyPeer.Transport.EPOLL
                ? new NettyHandles.Epoll(((NettyFdPipe) pipe).readEnd(), onReadable)
                : new NettyHandles.Nio(((NioPipe) pipe).source(), onReadable);
        IoRegistration reg = register(handle);
        return () -> runSync(reg::cancel);
    }

    private IoRegistration register(IoHandle handle) {
        return registerAll(List.of(handle)).get(0);
    }

    /** Registers on the loop thread, where {@code register} completes inline, in one hop. */
    private List<IoRegistration> registerAll(List<IoHandle> handles) {
        List<IoRegistration> out = new ArrayList<>(handles.size());
        runSync(() -> {
            for (IoHandle handle : handles) {
                IoRegistration reg = loop.register(handle).syncUninterruptibly().getNow();
                reg.submit(transport == NettyPeer.Transport.EPOLL ? EpollIoOps.EPOLLIN : NioIoOps.READ);
                out.add(reg);
            }
        });
        return out;
    }

    @Override
    public AutoCloseable registerIdleFds(int count) throws IOException {
        List<IoHandle> handles = new ArrayList<>(count);
        List<AutoCloseable> fds = new ArrayList<>(count);
        List<IoRegistration> regs = new ArrayList<>(count);
        Runnable never = () -> {
            throw new IllegalStateException("an idle fd became ready");
        };
        AutoCloseable all = () -> {
            runSync(() -> regs.forEach(IoRegistration::cancel));
            for (AutoCloseable fd : fds) {
                fd.close();
            }
        };
        try {
            for (int i = 0; i < count; i++) {
                if (transport == NettyPeer.Transport.EPOLL) {
                    FileDescriptor efd = Native.newEventFd();
                    fds.add(efd::close);
                    handles.add(new NettyHandles.Epoll(efd, never));
                } else {
                    DatagramChannel ch = DatagramChannel.open();
                    fds.add(ch);
                    ch.configureBlocking(false);
                    handles.add(new NettyHandles.Nio(ch, never));
                }
            }
            regs.addAll(registerAll(handles));
        } catch (IOException | RuntimeException e) {
            try {
                all.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return all;
    }

    @Override
    public void scheduleAt(long deadlineNanoTime, Runnable task) {
        loop.schedule(task, deadlineNanoTime - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public EchoServer startEchoServer() throws InterruptedException {
        NettyEchoHandler handler = new NettyEchoHandler();
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(transport == NettyPeer.Transport.EPOLL ? EpollServerSocketChannel.class
                        : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(handler)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        return new EchoServer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() {
                server.close().syncUninterruptibly();
                handler.closeAll();
            }
        };
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    private static void await(Future<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("loop task failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("loop task did not run within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
