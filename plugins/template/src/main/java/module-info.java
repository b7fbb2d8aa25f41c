/**
 * The template device: a REALTIME timer that counts ticks. Copy it to start a new device.
 */
module org.aioloop.plugin.template {
    requires org.aioloop.api;
    requires static org.osgi.framework;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;

    exports org.aioloop.plugin.template;

    provides org.aioloop.api.device.DeviceHandler with org.aioloop.plugin.template.TickCounterDevice;
}
