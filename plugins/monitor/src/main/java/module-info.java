/**
 * A QMP-style management monitor: one JSON object per line over a Unix socket (or TCP on loopback).
 */
module org.aioloop.plugin.monitor {
    requires org.aioloop.api;
    requires org.aioloop.plugin.stream;
    requires com.fasterxml.jackson.databind;
    requires static org.aioloop.plugin.block;
    requires static org.osgi.framework;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;

    exports org.aioloop.plugin.monitor;
}
