package org.aioloop.plugin.timer;

import org.aioloop.api.InvalidConfigurationException;

/**
 * What the watchdog does when it expires (a subset of QEMU's {@code -watchdog-action}).
 */
public enum WatchdogAction {
    /** Only count the expiry (and log it). */
    NONE,
    /** Stop the VIRTUAL clock (QEMU's {@code pause}): the machine freezes until {@code cont}. */
    PAUSE;

    /**
     * @param value a configuration value, case-insensitive
     * @return the action
     * @throws InvalidConfigurationException naming {@code watchdogAction} if unknown
     */
    public static WatchdogAction parse(String value) {
        for (WatchdogAction a : values()) {
            if (a.name().equalsIgnoreCase(value)) {
                return a;
            }
        }
        throw new InvalidConfigurationException("watchdogAction", value, "one of none, pause");
    }
}
