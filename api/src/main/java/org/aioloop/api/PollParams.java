package org.aioloop.api;

/**
 * Adaptive busy-polling parameters of a context (QEMU's IOThread {@code poll-max-ns},
 * {@code poll-grow}, {@code poll-shrink}).
 *
 * @param maxNs  the longest a context busy-polls before it waits in the kernel; 0 turns polling
 *               off completely
 * @param grow   factor by which a handler's polling window grows after a wait that a longer window
 *               would have avoided; 0 means the default (2)
 * @param shrink divisor by which the window shrinks after a wait longer than {@code maxNs}; 0 means
 *               reset the window to 0
 */
public record PollParams(long maxNs, long grow, long shrink) {
    /** QEMU's IOThread default: 32 µs, grow ×2, shrink to 0. */
    public static final PollParams DEFAULT = new PollParams(32_768, 0, 0);
    /** Polling off. */
    public static final PollParams OFF = new PollParams(0, 0, 0);

    /**
     * @throws InvalidConfigurationException naming the parameter when one is negative
     */
    public PollParams {
        if (maxNs < 0) {
            throw new InvalidConfigurationException("poll-max-ns", maxNs, "must be >= 0");
        }
        if (grow < 0) {
            throw new InvalidConfigurationException("poll-grow", grow, "must be >= 0");
        }
        if (shrink < 0) {
            throw new InvalidConfigurationException("poll-shrink", shrink, "must be >= 0");
        }
    }
}
