package org.aioloop.bench.peer;

import org.aioloop.api.AioContext;
import org.aioloop.core.MainLoops;

/**
 * Drives the main AioContext through QEMU's main loop: {@code MainLoop.run()} on the loop thread,
 * the context attached to the GLib-style main context as a source.
 */
final class MainLoopDriver implements AioLoop.Driver {
    private final MainLoops.Loop loop;

    private MainLoopDriver(MainLoops.Loop loop) {
        this.loop = loop;
    }

    static MainLoopDriver create(String backend) {
        return new MainLoopDriver(MainLoops.builder().backend(backend).build());
    }

    @Override
    public AioContext context() {
        return loop.aioContext();
    }

    @Override
    public void runLoop() {
        loop.run();
    }

    @Override
    public void stopLoop() {
        loop.quit();
    }

    @Override
    public void release() {
        loop.close();
    }
}
