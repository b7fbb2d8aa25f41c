package org.aioloop.core.host;

/**
 * Told, on the home thread of the device's context and after the failing callback has returned,
 * that a device must be isolated: one of its callbacks threw, or it called
 * {@link org.aioloop.api.device.DeviceContext#fail(Throwable)}.
 */
@FunctionalInterface
public interface DeviceFailureListener {
    /**
     * @param view  the failed device's view; it no longer calls into the device
     * @param what  names the callback that failed, e.g. {@code "fd 12 read"}, {@code "timer 'tick'"}
     * @param error what it threw
     */
    void deviceFailed(DeviceContextView view, String what, Throwable error);
}
