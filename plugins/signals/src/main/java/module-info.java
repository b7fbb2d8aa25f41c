/**
 * signalfd-based SIGTERM/SIGINT (shutdown) and SIGHUP (reload) on the main loop thread.
 */
module org.aioloop.plugin.signals {
    requires org.aioloop.api;
    requires org.aioloop.posix;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;

    exports org.aioloop.plugin.signals;
}
