/**
 * A character device over TCP (loopback by default) and Unix sockets, in echo or line-console mode.
 */
module org.aioloop.plugin.chardev.socket {
    requires org.aioloop.api;
    requires org.aioloop.plugin.stream;
    requires static org.osgi.framework;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;

    exports org.aioloop.plugin.chardev.socket;
}
