/**
 * A non-blocking stream-socket server on an AioContext, for devices: {@link
 * org.aioloop.plugin.stream.StreamServer} accepts clients on a loopback TCP port or an owner-only
 * Unix socket; each {@link org.aioloop.plugin.stream.StreamClient} has pooled, bounded buffers and
 * asks for write readiness only while output is pending; a {@link
 * org.aioloop.plugin.stream.StreamProtocol} gives the bytes their meaning.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.aioloop.plugin.stream;
