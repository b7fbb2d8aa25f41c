/**
 * A file-backed block device: asynchronous read, write and flush on the context's thread pool.
 */
module org.aioloop.plugin.block {
    requires org.aioloop.api;
    requires static org.osgi.framework;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;

    exports org.aioloop.plugin.block;
}
