package org.aioloop.core.host;

import java.util.Map;
import java.util.regex.Pattern;

import org.aioloop.api.AioContext;
import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.PollParams;

/**
 * One IOThread's configuration (ConfigAdmin factory PID {@value #FACTORY_PID}; QEMU's
 * {@code -object iothread,...} properties), validated as a whole.
 *
 * @param name    the IOThread's name, also its context's name
 * @param params  busy-polling parameters ({@code poll-max-ns}, {@code poll-grow}, {@code poll-shrink})
 * @param poolMin {@code thread-pool-min}
 * @param poolMax {@code thread-pool-max}
 */
public record IOThreadConfig(String name, PollParams params, int poolMin, int poolMax) {
    /** The factory PID: one configuration per IOThread. */
    public static final String FACTORY_PID = "org.aioloop.iothread";
    /** Key: the name. */
    public static final String NAME = "name";
    /** Key: poll-max-ns. */
    public static final String POLL_MAX_NS = "poll-max-ns";
    /** Key: poll-grow. */
    public static final String POLL_GROW = "poll-grow";
    /** Key: poll-shrink. */
    public static final String POLL_SHRINK = "poll-shrink";
    /** Key: thread-pool-min. */
    public static final String THREAD_POOL_MIN = HostConfig.THREAD_POOL_MIN;
    /** Key: thread-pool-max. */
    public static final String THREAD_POOL_MAX = HostConfig.THREAD_POOL_MAX;

    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /**
     * @throws InvalidConfigurationException naming the key when a value is invalid
     */
    public IOThreadConfig {
        checkName(name);
        if (params == null) {
            throw new InvalidConfigurationException(POLL_MAX_NS, null, "poll parameters are required");
        }
        HostConfig.checkPool(poolMin, poolMax);
    }

    /**
     * @param name a candidate IOThread name
     * @return the name
     * @throws InvalidConfigurationException naming {@code name} if it is empty, malformed or reserved
     */
    public static String checkName(String name) {
        if (name == null || !NAME_PATTERN.matcher(name).matches()) {
            throw new InvalidConfigurationException(NAME, name,
                    "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (name.equals(AioContext.MAIN) || name.equals(AioContext.IOHANDLER)) {
            throw new InvalidConfigurationException(NAME, name, "is reserved for the main loop's contexts");
        }
        return name;
    }

    /**
     * Builds a configuration from a ConfigAdmin dictionary. Defaults are QEMU's: poll-max-ns 32768,
     * grow and shrink 0, pool 0..64.
     *
     * @param properties the dictionary
     * @return the validated configuration
     * @throws InvalidConfigurationException naming the first bad key and its value
     */
    public static IOThreadConfig parse(Map<String, ?> properties) {
        ConfigValues v = new ConfigValues(properties);
        String name = v.string(NAME, null);
        if (name == null) {
            throw new InvalidConfigurationException(NAME, null, "an IOThread configuration needs a name");
        }
        PollParams params = new PollParams(
                v.longIn(POLL_MAX_NS, PollParams.DEFAULT.maxNs(), 0, Long.MAX_VALUE),
                v.longIn(POLL_GROW, PollParams.DEFAULT.grow(), 0, Long.MAX_VALUE),
                v.longIn(POLL_SHRINK, PollParams.DEFAULT.shrink(), 0, Long.MAX_VALUE));
        return new IOThreadConfig(name,
                params,
                v.intIn(THREAD_POOL_MIN, HostConfig.DEFAULT.threadPoolMin(), 0, 4096),
                v.intIn(THREAD_POOL_MAX, HostConfig.DEFAULT.threadPoolMax(), 1, 4096));
    }
}
