package org.aioloop.core.host;

import java.util.Map;
import java.util.regex.Pattern;

import org.aioloop.api.InvalidConfigurationException;

/**
 * The host's configuration (ConfigAdmin PID {@value #PID}), validated as a whole: either every value
 * is good and the record is built, or {@link #parse} throws naming the first bad key and value and
 * the caller keeps its previous configuration.
 *
 * @param backend                 {@code "auto"} (the best available backend) or a backend name
 * @param epollUpgradeThreshold   fd count at which a context on {@code poll} moves to {@code epoll}
 *                                when the backend is {@code auto} (QEMU's 64); 0 turns it off
 * @param threadPoolMin           the main context's minimum pool threads
 * @param threadPoolMax           the main context's maximum pool threads
 * @param detachTimeoutMillis     how long a departing device may take to detach on its home thread
 */
public record HostConfig(String backend, int epollUpgradeThreshold, int threadPoolMin, int threadPoolMax,
        long detachTimeoutMillis) {

    /** The configuration PID of the host. */
    public static final String PID = "org.aioloop.core";
    /** Key: backend name or {@code auto}. */
    public static final String BACKEND = "backend";
    /** Key: the epoll upgrade threshold. */
    public static final String EPOLL_UPGRADE_THRESHOLD = "epoll.upgrade.threshold";
    /** Key: the main context's minimum pool threads. */
    public static final String THREAD_POOL_MIN = "thread-pool-min";
    /** Key: the main context's maximum pool threads. */
    public static final String THREAD_POOL_MAX = "thread-pool-max";
    /** Key: device detach timeout in milliseconds. */
    public static final String DETACH_TIMEOUT = "device.detach.timeout.ms";
    /** The backend value that means "best available". */
    public static final String AUTO = "auto";

    // before DEFAULT: static initialisers run in text order and DEFAULT's constructor uses it
    private static final Pattern BACKEND_NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,31}");

    /** Defaults: auto backend, upgrade at 64 fds, pool 0..64, 5 s detach timeout. */
    public static final HostConfig DEFAULT = new HostConfig(AUTO, 64, 0, 64, 5_000);

    /**
     * @throws InvalidConfigurationException naming the key when a value is out of range
     */
    public HostConfig {
        backend = checkBackend(BACKEND, backend);
        if (epollUpgradeThreshold < 0) {
            throw new InvalidConfigurationException(EPOLL_UPGRADE_THRESHOLD, epollUpgradeThreshold, "must be >= 0");
        }
        checkPool(threadPoolMin, threadPoolMax);
        if (detachTimeoutMillis < 1) {
            throw new InvalidConfigurationException(DETACH_TIMEOUT, detachTimeoutMillis, "must be >= 1");
        }
    }

    /**
     * Builds a configuration from a ConfigAdmin dictionary; absent keys take their defaults.
     *
     * @param properties the dictionary (may be null)
     * @return the validated configuration
     * @throws InvalidConfigurationException naming the first bad key and its value
     */
    public static HostConfig parse(Map<String, ?> properties) {
        ConfigValues v = new ConfigValues(properties);
        return new HostConfig(
                v.string(BACKEND, DEFAULT.backend),
                v.intIn(EPOLL_UPGRADE_THRESHOLD, DEFAULT.epollUpgradeThreshold, 0, 1 << 20),
                v.intIn(THREAD_POOL_MIN, DEFAULT.threadPoolMin, 0, 4096),
                v.intIn(THREAD_POOL_MAX, DEFAULT.threadPoolMax, 1, 4096),
                v.longIn(DETACH_TIMEOUT, DEFAULT.detachTimeoutMillis, 1, 600_000));
    }

    /**
     * @param key   the key the value came from, for the message
     * @param value {@code auto} or a backend name
     * @return the value, lower-cased
     * @throws InvalidConfigurationException if it is not a plausible backend name
     */
    public static String checkBackend(String key, String value) {
        if (value == null) {
            throw new InvalidConfigurationException(key, null, "must be 'auto' or a backend name such as 'epoll'");
        }
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (!BACKEND_NAME.matcher(v).matches()) {
            throw new InvalidConfigurationException(key, value,
                    "must be 'auto' or a backend name such as 'poll' or 'epoll' (letters, digits, '-', '_', '.')");
        }
        return v;
    }

    static void checkPool(int min, int max) {
        if (min < 0) {
            throw new InvalidConfigurationException(THREAD_POOL_MIN, min, "must be >= 0");
        }
        if (max < 1) {
            throw new InvalidConfigurationException(THREAD_POOL_MAX, max, "must be >= 1");
        }
        if (min > max) {
            throw new InvalidConfigurationException(THREAD_POOL_MIN, min, "must not exceed thread-pool-max (" + max + ")");
        }
    }
}
