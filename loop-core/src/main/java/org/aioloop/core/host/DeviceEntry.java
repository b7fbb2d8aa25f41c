package org.aioloop.core.host;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.aioloop.api.AioContext;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.device.DeviceInfo;
import org.aioloop.api.device.DeviceState;

/**
 * What the {@link DeviceManager} knows about one device. State changes happen on the home thread of
 * the device's context (attach, detach, failure) or, for bookkeeping, under the manager's lock; the
 * fields are volatile so shells read them from any thread.
 */
final class DeviceEntry {
    final DeviceHandler handler;
    final String name;
    final String contextName;
    /** The view while attached; whoever takes it out (getAndSet(null)) does the detach. */
    final AtomicReference<DeviceContextView> view = new AtomicReference<>();

    /** The context instance the device is (to be) attached to; null while it waits for it. */
    volatile AioContext context;
    volatile boolean removed;
    volatile DeviceState state = DeviceState.PENDING;
    volatile String failure;
    volatile List<String> leaked = List.of();
    volatile DeviceStats lastStats;

    DeviceEntry(DeviceHandler handler, String name, String contextName) {
        this.handler = handler;
        this.name = name;
        this.contextName = contextName;
        this.lastStats = new DeviceStats(name, 0, 0, 0, 0);
    }

    DeviceInfo info() {
        DeviceContextView v = view.get();
        List<String> resources = v == null ? List.of() : v.liveResources();
        return new DeviceInfo(name, contextName, state, failure, resources, leaked);
    }

    DeviceStats stats() {
        DeviceContextView v = view.get();
        return v == null ? lastStats : v.deviceStats();
    }
}
