package org.aioloop.plugin.chardev.socket;

import org.aioloop.api.InvalidConfigurationException;

/**
 * What a socket chardev does with its clients' bytes.
 */
public enum CharDevMode {
    /** Every byte comes back to its sender. */
    ECHO,
    /** A line-oriented command console per client. */
    CONSOLE;

    /**
     * @param value {@code echo} or {@code console}, case-insensitive
     * @return the mode
     * @throws InvalidConfigurationException naming {@code mode} otherwise
     */
    public static CharDevMode parse(String value) {
        for (CharDevMode m : values()) {
            if (m.name().equalsIgnoreCase(value)) {
                return m;
            }
        }
        throw new InvalidConfigurationException("mode", value, "must be echo or console");
    }
}
