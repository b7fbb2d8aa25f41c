package org.aioloop.core.host;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import org.aioloop.api.device.DeviceContext;
import org.aioloop.api.device.DeviceHandler;

/** A test device: runs a setup on attach, and records the threads attach and detach ran on. */
class RecordingDevice implements DeviceHandler {
    final String name;
    final Consumer<DeviceContext> onAttach;
    final List<String> events = new CopyOnWriteArrayList<>();
    final CountDownLatch attached = new CountDownLatch(1);
    final CountDownLatch detached = new CountDownLatch(1);
    volatile Thread attachThread;
    volatile Thread detachThread;
    volatile DeviceContext context;

    RecordingDevice(String name, Consumer<DeviceContext> onAttach) {
        this.name = name;
        this.onAttach = onAttach;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void attach(DeviceContext ctx) {
        attachThread = Thread.currentThread();
        context = ctx;
        events.add("attach");
        onAttach.accept(ctx);
        attached.countDown();
    }

    @Override
    public void detach(DeviceContext ctx) {
        detachThread = Thread.currentThread();
        events.add("detach");
        detached.countDown();
    }
}
