package org.aioloop.core.host;

/**
 * A device's bottom-half or timer callback: skipped once the device is gone, timed, isolated when it
 * throws. The label ({@code "bh 'flush'"}, {@code "timer 'tick'"}) is built once at registration.
 */
final class GuardedRunnable implements Runnable {
    private final DeviceContextView view;
    private final Runnable callback;
    private final String label;

    GuardedRunnable(DeviceContextView view, Runnable callback, String label) {
        this.view = view;
        this.callback = callback;
        this.label = label;
    }

    @Override
    public void run() {
        if (!view.isOpen()) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            callback.run();
        } catch (Throwable e) {
            view.callbackFailed(label, e);
        } finally {
            view.counters().record(System.nanoTime() - t0);
        }
    }
}
