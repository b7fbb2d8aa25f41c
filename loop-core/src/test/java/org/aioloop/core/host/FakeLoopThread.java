package org.aioloop.core.host;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs a {@link FakeContext} on its own thread, as an IOThread would, until closed. */
final class FakeLoopThread implements AutoCloseable {
    private final FakeContext context;
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Throwable escaped;

    FakeLoopThread(FakeContext context, String threadName) throws InterruptedException {
        this.context = context;
        this.thread = new Thread(this::run, threadName);
        thread.start();
        if (!started.await(5, TimeUnit.SECONDS)) {
            throw new AssertionError("loop thread did not start");
        }
    }

    private void run() {
        try {
            context.poll(false); // becomes the home thread
            started.countDown();
            while (running) {
                context.poll(true);
            }
        } catch (Throwable t) {
            escaped = t;
            started.countDown();
        }
    }

    Thread thread() {
        return thread;
    }

    /** @return what escaped the loop (a callback exception the view failed to catch), or null */
    Throwable escaped() {
        return escaped;
    }

    /** Runs {@code r} on the loop thread and waits for it. */
    void runOnLoop(Runnable r) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.scheduleOneshot(() -> {
            try {
                r.run();
            } finally {
                done.countDown();
            }
        });
        if (!done.await(5, TimeUnit.SECONDS)) {
            throw new AssertionError("loop did not run the task");
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        context.kick();
        thread.join(5_000);
        if (thread.isAlive()) {
            throw new AssertionError("loop thread did not stop");
        }
    }
}
