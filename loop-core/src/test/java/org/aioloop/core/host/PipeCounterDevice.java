package org.aioloop.core.host;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.aioloop.api.device.DeviceContext;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.posix.Posix;

/**
 * A real device for host tests: owns a non-blocking pipe, counts every byte that arrives through
 * its read handler, and closes the pipe on detach. Tests write bytes into {@link #writeFd()} and
 * check that the count comes out exact (nothing lost across backend switches).
 */
final class PipeCounterDevice implements DeviceHandler {
    private final String name;
    private final AtomicLong received = new AtomicLong();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
    final CountDownLatch attached = new CountDownLatch(1);
    private volatile int readFd = -1;
    private volatile int writeFd = -1;
    volatile Thread attachThread;

    PipeCounterDevice(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void attach(DeviceContext ctx) {
        int[] p = Posix.pipe2(Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        readFd = p[0];
        writeFd = p[1];
        ctx.setFdHandler(readFd, (fd, ev) -> drain(fd), null);
        attachThread = Thread.currentThread();
        attached.countDown();
    }

    private void drain(int fd) {
        for (;;) {
            buffer.clear();
            int n = Posix.read(fd, buffer);
            if (n <= 0) {
                return;
            }
            received.addAndGet(n);
        }
    }

    @Override
    public void detach(DeviceContext ctx) {
        ctx.removeFdHandler(readFd);
        Posix.close(readFd);
        Posix.close(writeFd);
    }

    int writeFd() {
        return writeFd;
    }

    long received() {
        return received.get();
    }

    /** Writes one byte, spinning while the pipe is full. */
    void send(ByteBuffer one) {
        for (;;) {
            one.clear();
            if (Posix.write(writeFd, one) == 1) {
                return;
            }
            Thread.onSpinWait();
        }
    }
}
