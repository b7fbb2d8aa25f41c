/**
 * aioloop's public API: contexts, bottom halves, timers, sources, and the backend and device SPIs.
 */
module org.aioloop.api {
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;

    exports org.aioloop.api;
    exports org.aioloop.api.backend;
    exports org.aioloop.api.device;
    exports org.aioloop.api.host;

    uses org.aioloop.api.backend.PollBackend;
}
