package org.aioloop.plugin.monitor;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.aioloop.api.AioContext;
import org.aioloop.api.BackendUnavailableException;
import org.aioloop.api.ClockSource;
import org.aioloop.api.MainLoop;
import org.aioloop.api.PollParams;
import org.aioloop.api.device.DeviceInfo;
import org.aioloop.api.device.DeviceState;
import org.aioloop.api.host.BackendInfo;
import org.aioloop.api.host.IOThreadInfo;
import org.aioloop.api.host.LoopHost;

/**
 * A LoopHost for monitor tests: the real context of the harness and real clocks, fixed backend,
 * IOThread and device lists, and a switch that completes later on another thread (or never, for
 * the backend named "hang").
 */
final class FakeLoopHost implements LoopHost {
    private final AioContext context;
    private final ClockSource clocks;
    final CountDownLatch shutdown = new CountDownLatch(1);
    final AtomicInteger reloads = new AtomicInteger();
    final AtomicInteger switches = new AtomicInteger();

    FakeLoopHost(AioContext context, ClockSource clocks) {
        this.context = context;
        this.clocks = clocks;
    }

    @Override
    public MainLoop mainLoop() {
        throw new UnsupportedOperationException("not in the monitor tests");
    }

    @Override
    public List<AioContext> contexts() {
        return List.of(context);
    }

    @Override
    public AioContext context(String name) {
        return context.name().equals(name) ? context : null;
    }

    @Override
    public ClockSource clocks() {
        return clocks;
    }

    @Override
    public List<BackendInfo> backends() {
        return List.of(new BackendInfo("epoll", 100, true, null, List.of(context.name())),
                new BackendInfo("poll", 10, true, null, List.of()),
                new BackendInfo("io_uring", 200, false, "not built", List.of()));
    }

    @Override
    public CompletableFuture<List<String>> switchBackend(String contextName, String backend) {
        switches.incrementAndGet();
        if (backend.equals("hang")) {
            return new CompletableFuture<>();
        }
        return CompletableFuture.supplyAsync(() -> {
            if (!backend.equals("poll") && !backend.equals("epoll")) {
                throw new BackendUnavailableException(backend, "no such backend");
            }
            return List.of(context.name() + ": " + backend);
        }, runnable -> new Thread(runnable, "fake-switch").start());
    }

    @Override
    public List<IOThreadInfo> iothreads() {
        return List.of(new IOThreadInfo("io1", "IO io1", PollParams.DEFAULT, 0, 64, "epoll"));
    }

    @Override
    public AioContext addIOThread(String name, PollParams params, int poolMin, int poolMax) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean removeIOThread(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<DeviceInfo> devices() {
        return List.of(new DeviceInfo("monitor", "iohandler", DeviceState.ATTACHED, null, List.of("fd 9"), List.of()),
                new DeviceInfo("broken", "main", DeviceState.FAILED, "attach threw", List.of(), List.of("timer 'x'")));
    }

    @Override
    public void reloadConfiguration() {
        reloads.incrementAndGet();
    }

    @Override
    public void shutdown() {
        shutdown.countDown();
    }
}
