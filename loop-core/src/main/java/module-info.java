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
    requires static org.osgi.framework;
    requires static org.osgi.service.metatype.annotations;
    requires static org.apache.felix.gogo.runtime;

    exports org.aioloop.core;
    exports org.aioloop.core.host;

    uses org.aioloop.api.backend.PollBackend;
    uses org.aioloop.api.device.DeviceHandler;
}
