package org.aioloop.core.host;

import java.util.concurrent.TimeUnit;

import org.aioloop.api.ClockType;
import org.aioloop.api.Timer;

/**
 * A device's timer: the real one (with a guarded callback) plus the bookkeeping that lets the view
 * forget it when the device closes it.
 */
final class ViewTimer implements Timer {
    private final DeviceContextView view;
    private final Timer delegate;

    ViewTimer(DeviceContextView view, ClockType clock, String name, Runnable callback) {
        this.view = view;
        this.delegate = view.context().newTimer(clock, name,
                new GuardedRunnable(view, callback, "timer '" + name + "'"));
    }

    Timer delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public ClockType clock() {
        return delegate.clock();
    }

    @Override
    public void modNanos(long expireNanos) {
        delegate.modNanos(expireNanos);
    }

    @Override
    public void modIn(long delay, TimeUnit unit) {
        delegate.modIn(delay, unit);
    }

    @Override
    public void cancel() {
        delegate.cancel();
    }

    @Override
    public boolean isPending() {
        return delegate.isPending();
    }

    @Override
    public long expireTimeNanos() {
        return delegate.expireTimeNanos();
    }

    @Override
    public void close() {
        delegate.close();
        view.forget(this);
    }
}
