/**
 * SIGTERM/SIGINT (shutdown) and SIGHUP (reload) on the main loop thread: a signalfd for signals
 * directed at the loop thread, JVM handlers ({@code sun.misc.Signal}, hence {@code jdk.unsupported})
 * for process-directed ones.
 */
module org.aioloop.plugin.signals {
    requires org.aioloop.api;
    requires org.aioloop.posix;
    requires jdk.unsupported;
    requires static org.osgi.framework;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;

    exports org.aioloop.plugin.signals;
}
