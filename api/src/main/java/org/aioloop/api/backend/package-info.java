/**
 * The fd-monitor SPI (QEMU's {@code FDMonOps}, Netty 4.2's {@code IoHandlerFactory}): a
 * {@link org.aioloop.api.backend.PollBackend} is a named factory that opens one
 * {@link org.aioloop.api.backend.FdMonitor} per context. Backends are bundles (DS components) and
 * {@link java.util.ServiceLoader} providers, and a context can switch between them while it runs.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.aioloop.api.backend;
