package org.aioloop.core.host;

import org.aioloop.api.PollCallback;

/**
 * A device's busy-poll check: reports no work once the device is gone, isolates it when it throws.
 * Not timed: it runs many times per pass while the context busy-polls.
 */
final class GuardedPollCallback implements PollCallback {
    private final DeviceContextView view;
    private final PollCallback callback;

    GuardedPollCallback(DeviceContextView view, PollCallback callback) {
        this.view = view;
        this.callback = callback;
    }

    @Override
    public boolean poll() {
        if (!view.isOpen()) {
            return false;
        }
        try {
            return callback.poll();
        } catch (Throwable e) {
            view.callbackFailed("busy-poll check", e);
            return false;
        }
    }
}
