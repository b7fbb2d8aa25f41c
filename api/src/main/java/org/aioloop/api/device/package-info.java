/**
 * The device-handler SPI: a {@link org.aioloop.api.device.DeviceHandler} is a whiteboard service
 * that the core attaches to the context it names, on that context's home thread. Everything the
 * device registers goes through its {@link org.aioloop.api.device.DeviceContext}, so detaching
 * releases it all and reports what the device forgot.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.aioloop.api.device;
