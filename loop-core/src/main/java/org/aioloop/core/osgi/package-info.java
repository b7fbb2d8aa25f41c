/**
 * Declarative Services components that make the host an OSGi citizen: the host (PID
 * {@code org.aioloop.core}) composes backends, devices and event sources from the service registry,
 * and one IOThread component runs per {@code org.aioloop.iothread} factory configuration. Internal:
 * not exported.
 */
package org.aioloop.core.osgi;
