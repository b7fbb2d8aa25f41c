package org.aioloop.core.host;

import java.util.Map;

import org.aioloop.api.InvalidConfigurationException;

/**
 * Reads typed values out of a configuration dictionary as ConfigAdmin and FileInstall deliver it:
 * numbers may arrive as {@code Integer}, {@code Long} or {@code String} ({@code .cfg} files carry only
 * strings), and a blank string means "not set". Every bad value becomes an
 * {@link InvalidConfigurationException} naming the key and the value.
 */
public final class ConfigValues {
    private final Map<String, ?> properties;

    /**
     * @param properties the dictionary, may be null (all defaults)
     */
    public ConfigValues(Map<String, ?> properties) {
        this.properties = properties == null ? Map.of() : properties;
    }

    /**
     * @param key          a key
     * @param defaultValue used when the key is absent or blank
     * @return the trimmed string value
     */
    public String string(String key, String defaultValue) {
        Object v = properties.get(key);
        if (v instanceof String[] a) {
            v = a.length == 0 ? null : a[0];
        }
        if (v == null) {
            return defaultValue;
        }
        String s = v.toString().trim();
        return s.isEmpty() ? defaultValue : s;
    }

    /**
     * @param key          a key
     * @param defaultValue used when the key is absent or blank
     * @param min          smallest valid value
     * @param max          largest valid value
     * @return the value
     * @throws InvalidConfigurationException naming key and value if it is not a whole number in range
     */
    public long longIn(String key, long defaultValue, long min, long max) {
        Object v = properties.get(key);
        if (v instanceof String[] a) {
            v = a.length == 0 ? null : a[0];
        }
        long value;
        if (v == null || (v instanceof String s && s.isBlank())) {
            value = defaultValue;
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            value = ((Number) v).longValue();
        } else {
            try {
                value = Long.parseLong(v.toString().trim());
            } catch (NumberFormatException e) {
                throw new InvalidConfigurationException(key, v, "must be a whole number");
            }
        }
        if (value < min || value > max) {
            throw new InvalidConfigurationException(key, v == null ? value : v,
                    max == Long.MAX_VALUE ? "must be >= " + min : "must be between " + min + " and " + max);
        }
        return value;
    }

    /**
     * @param key          a key
     * @param defaultValue used when the key is absent or blank
     * @param min          smallest valid value
     * @param max          largest valid value
     * @return the value
     * @throws InvalidConfigurationException naming key and value if it is not a whole number in range
     */
    public int intIn(String key, int defaultValue, int min, int max) {
        return (int) longIn(key, defaultValue, min, max);
    }

    /**
     * @param key          a key
     * @param defaultValue used when the key is absent or blank
     * @return the value
     * @throws InvalidConfigurationException naming key and value if it is not true/false
     */
    public boolean bool(String key, boolean defaultValue) {
        Object v = properties.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim();
        if (s.isEmpty()) {
            return defaultValue;
        }
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new InvalidConfigurationException(key, v, "must be true or false");
    }
}
