package org.aioloop.api;

/**
 * A configuration value was rejected. Names the key and the value; the previous configuration stays
 * in force.
 */
public class InvalidConfigurationException extends AioException {
    private static final long serialVersionUID = 1L;
    private final String key;
    private final transient Object value;

    /**
     * @param key    the configuration key, e.g. {@code "poll-max-ns"}
     * @param value  the rejected value
     * @param reason what a valid value looks like
     */
    public InvalidConfigurationException(String key, Object value, String reason) {
        super("invalid value '" + value + "' for '" + key + "': " + reason);
        this.key = key;
        this.value = value;
    }

    /**
     * @return the configuration key at fault
     */
    public String key() {
        return key;
    }

    /**
     * @return the rejected value
     */
    public Object value() {
        return value;
    }
}
