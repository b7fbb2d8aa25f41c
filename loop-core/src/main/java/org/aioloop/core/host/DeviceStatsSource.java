package org.aioloop.core.host;

import java.util.List;

/**
 * Something that can report per-device callback counters (the host does); shells check for it so
 * they also work with a {@link org.aioloop.api.host.LoopHost} that cannot.
 */
public interface DeviceStatsSource {
    /**
     * @return the counters of every present device
     */
    List<DeviceStats> deviceStats();
}
