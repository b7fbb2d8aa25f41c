/**
 * The plugin host in plain Java: {@link org.aioloop.core.host.LoopHostImpl} (started with
 * {@link org.aioloop.core.host.LoopHosts}) owns the main loop, the contexts, the IOThreads and the
 * backends; {@link org.aioloop.core.host.DeviceManager} attaches devices on their contexts' home
 * threads through a recording, isolating {@link org.aioloop.core.host.DeviceContextView}; the
 * configuration records validate ConfigAdmin dictionaries. The OSGi components in
 * {@code org.aioloop.core.osgi} are thin wrappers around these classes.
 */
package org.aioloop.core.host;
