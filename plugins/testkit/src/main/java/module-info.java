/**
 * Test support for device authors: {@link org.aioloop.plugin.testkit.DeviceHarness} runs devices on
 * a real AioContext through a recording DeviceContext.
 */
module org.aioloop.plugin.testkit {
    requires transitive org.aioloop.api;
    requires transitive org.aioloop.core;
    requires org.aioloop.posix;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;
    requires static org.osgi.framework;

    exports org.aioloop.plugin.testkit;
}
