/**
 * The management view of a running host: what shells, monitors and signal handlers use to inspect
 * and steer contexts, backends, IOThreads and devices.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.aioloop.api.host;
