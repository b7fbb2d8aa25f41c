package org.aioloop.core.host;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The live counters behind {@link DeviceStats}. Written only by the home thread of the device's
 * context (one writer), so a release store is enough and a dispatch costs no fence or allocation;
 * other threads read slightly stale but consistent-per-field values.
 */
final class DeviceCounters {
    private final AtomicLong dispatches = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong maxNanos = new AtomicLong();

    /**
     * Records one callback run; home thread only.
     *
     * @param elapsed how long it took
     */
    void record(long elapsed) {
        dispatches.setRelease(dispatches.getPlain() + 1);
        nanos.setRelease(nanos.getPlain() + elapsed);
        if (elapsed > maxNanos.getPlain()) {
            maxNanos.setRelease(elapsed);
        }
    }

    /** Records one callback that threw. */
    void error() {
        errors.incrementAndGet();
    }

    DeviceStats snapshot(String device) {
        return new DeviceStats(device, dispatches.getAcquire(), errors.get(), nanos.getAcquire(),
                maxNanos.getAcquire());
    }
}
