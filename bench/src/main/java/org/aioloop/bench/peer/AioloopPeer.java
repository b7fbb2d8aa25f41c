package org.aioloop.bench.peer;

import org.aioloop.api.AioContext;
import org.aioloop.api.MainLoop;
import org.aioloop.core.AioContexts;

/**
 * aioloop as a peer: an {@link AioContext} run IOThread-style (a thread looping on
 * {@code poll(true)}) on one backend, or the {@link MainLoop} driving its main context.
 */
public final class AioloopPeer implements Peer {
    /** How the context is driven. */
    public enum Driver {
        /** A thread looping on {@code AioContext.poll(true)}, as QEMU's IOThread. */
        IOTHREAD,
        /** {@code MainLoop.run()}, with the context attached as a source, as QEMU's main loop. */
        MAINLOOP
    }

    private final String name;
    private final String backend;
    private final int upgradeThreshold;
    private final Driver driver;
    private final String onlyScenario;

    /**
     * @param name             the table name
     * @param backend          {@code "epoll"} or {@code "poll"}
     * @param upgradeThreshold poll→epoll upgrade at this many fds, 0 for never
     * @param driver           IOThread-style or through the main loop
     * @param onlyScenario     the one scenario this variant runs in, or null for all
     */
    public AioloopPeer(String name, String backend, int upgradeThreshold, Driver driver, String onlyScenario) {
        this.name = name;
        this.backend = backend;
        this.upgradeThreshold = upgradeThreshold;
        this.driver = driver;
        this.onlyScenario = onlyScenario;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isAioloop() {
        return true;
    }

    @Override
    public boolean canSwitchBackend() {
        return true;
    }

    @Override
    public boolean takesPart(String scenarioId) {
        return onlyScenario == null || onlyScenario.equals(scenarioId);
    }

    @Override
    public BenchLoop start(String threadName) {
        AioLoop.Driver d = driver == Driver.IOTHREAD
                ? new IOThreadDriver(AioContexts.builder().name(threadName).backend(backend)
                        .epollUpgradeThreshold(upgradeThreshold).build())
                : MainLoopDriver.create(backend);
        return new AioLoop(d, threadName);
    }
}
