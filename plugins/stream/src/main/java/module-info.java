/**
 * Non-blocking stream-socket server support shared by the socket devices (chardev, monitor).
 */
module org.aioloop.plugin.stream {
    requires transitive org.aioloop.api;
    requires org.aioloop.posix;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;

    exports org.aioloop.plugin.stream;
}
