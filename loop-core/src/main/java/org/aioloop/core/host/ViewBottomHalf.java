package org.aioloop.core.host;

import org.aioloop.api.BottomHalf;

/**
 * A device's bottom half: the real one (with a guarded callback) plus the bookkeeping that lets the
 * view forget it when the device deletes it.
 */
final class ViewBottomHalf implements BottomHalf {
    private final DeviceContextView view;
    private final BottomHalf delegate;

    ViewBottomHalf(DeviceContextView view, String name, Runnable callback) {
        this.view = view;
        this.delegate = view.context().newBottomHalf(name,
                new GuardedRunnable(view, callback, "bh '" + name + "'"));
    }

    BottomHalf delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void schedule() {
        delegate.schedule();
    }

    @Override
    public void scheduleIdle() {
        delegate.scheduleIdle();
    }

    @Override
    public void cancel() {
        delegate.cancel();
    }

    @Override
    public void delete() {
        delegate.delete();
        view.forget(this);
    }

    @Override
    public boolean isScheduled() {
        return delegate.isScheduled();
    }

    @Override
    public boolean isDeleted() {
        return delegate.isDeleted();
    }
}
