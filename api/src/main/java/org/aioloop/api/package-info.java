/**
 * The public API of aioloop: a QEMU-style event loop for the JVM.
 *
 * <p>The central type is {@link org.aioloop.api.AioContext} (QEMU's {@code AioContext}): fd
 * handlers, bottom halves, timers on several clocks and an event notifier that wakes the loop. An
 * AioContext runs either as its own loop ({@link org.aioloop.api.AioContext#poll(boolean)}, QEMU's
 * {@code aio_poll}, used by IOThreads) or as an {@link org.aioloop.api.EventSource} inside a
 * {@link org.aioloop.api.MainContext} driven by the {@link org.aioloop.api.MainLoop}
 * ({@code main_loop_wait}).
 *
 * <p>Threading in one sentence: running a loop and dispatching are home-thread only; scheduling
 * bottom halves, (un)registering handlers, arming timers and kicking are safe from any thread.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.aioloop.api;
