/**
 * aioloop's only libc binding (JNA direct mapping): eventfd and pipe notifiers, read/write, fcntl,
 * ppoll, epoll, sockets, signalfd and CPU affinity, with errno turned into typed exceptions.
 */
module org.aioloop.posix {
    requires transitive org.aioloop.api;
    requires com.sun.jna;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;

    exports org.aioloop.posix;
}
