/**
 * aioloop's core: the AioContext (QEMU's {@code AioContext}: fd handlers, bottom halves, timers, the
 * notify handshake, adaptive polling, live backend switching), the backend registry and the clocks;
 * plus the main loop, IOThreads and the thread pool.
 */
module org.aioloop.core {
    requires transitive org.aioloop.api;
    requires org.aioloop.posix;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.annotation.versioning;
    requires static org.osgi.annotation.bundle;

    exports org.aioloop.core;

    uses org.aioloop.api.backend.PollBackend;
}
