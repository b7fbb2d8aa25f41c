/**
 * Entry points of the core: {@link org.aioloop.core.AioContexts} builds contexts,
 * {@link org.aioloop.core.BackendRegistry} holds the poll backends, and
 * {@link org.aioloop.core.SystemClockSource} / {@link org.aioloop.core.ManualClockSource} are the
 * clocks timers run on.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.aioloop.core;
