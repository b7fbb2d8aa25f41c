package org.aioloop.api.device;

import java.util.List;

import org.aioloop.api.AioContext;

/**
 * The view of an {@link AioContext} a device works through. It is an AioContext (same contract), and
 * it records every fd handler, bottom half, timer and pool job the device creates, so detaching
 * releases them all. {@link #close()} on the view releases the device's registrations, not the
 * underlying context.
 */
public interface DeviceContext extends AioContext {
    /**
     * @return the device's name
     */
    String deviceName();

    /**
     * @return the underlying context's name
     */
    String contextName();

    /**
     * Marks the device failed and has the core detach it (on the home thread, after the current
     * callback).
     *
     * @param error why
     */
    void fail(Throwable error);

    /**
     * @return descriptions of what the device still holds (e.g. {@code "fd 12"},
     *         {@code "timer 'tick'"})
     */
    List<String> liveResources();
}
