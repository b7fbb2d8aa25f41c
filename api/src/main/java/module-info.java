/**
 * aioloop's public API: contexts, bottom halves, timers, sources, and the backend and device SPIs.
 */
module org.aioloop.api {
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;
    requires static org.osgi.framework; // DeviceRegistration, used by device components under OSGi only

    exports org.aioloop.api;
    exports org.aioloop.api.backend;
    exports org.aioloop.api.device;
    exports org.aioloop.api.host;

    uses org.aioloop.api.backend.PollBackend;
}
