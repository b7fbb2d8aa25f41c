/**
 * A watchdog and RTC-like device on the REALTIME and VIRTUAL clocks.
 */
module org.aioloop.plugin.timer {
    requires org.aioloop.api;
    requires static org.osgi.framework;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;

    exports org.aioloop.plugin.timer;

    provides org.aioloop.api.device.DeviceHandler with org.aioloop.plugin.timer.TimerDevice;
}
