package org.aioloop.core.host;

import org.aioloop.api.FdCallback;

/**
 * A device's fd callback as the context sees it: skipped once the device is failed or released,
 * timed, and isolated when it throws.
 */
final class GuardedFdCallback implements FdCallback {
    private final DeviceContextView view;
    private final FdCallback callback;
    private final String role;

    GuardedFdCallback(DeviceContextView view, FdCallback callback, String role) {
        this.view = view;
        this.callback = callback;
        this.role = role;
    }

    @Override
    public void onReady(int fd, int revents) {
        if (!view.isOpen()) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            callback.onReady(fd, revents);
        } catch (Throwable e) {
            view.callbackFailed("fd " + fd + " " + role, e);
        } finally {
            view.counters().record(System.nanoTime() - t0);
        }
    }
}
