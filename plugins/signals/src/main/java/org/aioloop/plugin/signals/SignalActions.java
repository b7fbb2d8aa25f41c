package org.aioloop.plugin.signals;

/**
 * What the signals device does when a signal arrives. Called on the loop's home thread.
 */
public interface SignalActions {
    /** SIGTERM or SIGINT: shut the host down cleanly (QEMU: {@code qemu_system_killed}). */
    void shutdown();

    /** SIGHUP: re-read the configuration. */
    void reload();
}
