package org.aioloop.bench.peer;

import org.aioloop.api.AioContext;

/**
 * Drives a context as QEMU's IOThread does: a thread looping on {@code poll(true)}.
 */
final class IOThreadDriver implements AioLoop.Driver {
    private final AioContext ctx;
    private volatile boolean running = true;

    IOThreadDriver(AioContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public AioContext context() {
        return ctx;
    }

    @Override
    public void runLoop() {
        while (running) {
            ctx.poll(true);
        }
    }

    @Override
    public void stopLoop() {
        running = false;
        ctx.kick();
    }

    @Override
    public void release() {
        ctx.close();
    }
}
