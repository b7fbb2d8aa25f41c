package org.aioloop.plugin.stream;

import java.util.ArrayDeque;

import org.aioloop.posix.NativeBuffer;

/**
 * A pool of equally sized native buffers, so that a busy server allocates none per client or per
 * read: a buffer is taken when a client connects and given back when it goes. The pool keeps at most
 * {@code maxIdle} buffers; {@link #close()} frees them all. Home thread only.
 */
public final class BufferPool implements AutoCloseable {
    private final int bufferSize;
    private final int maxIdle;
    private final ArrayDeque<NativeBuffer> idle;
    private int outstanding;
    private boolean closed;

    /**
     * @param bufferSize the size of each buffer in bytes
     * @param maxIdle    the most idle buffers kept
     */
    public BufferPool(int bufferSize, int maxIdle) {
        this.bufferSize = bufferSize;
        this.maxIdle = maxIdle;
        this.idle = new ArrayDeque<>(Math.max(1, maxIdle));
    }

    /**
     * @return a buffer, reused when one is idle
     */
    public NativeBuffer acquire() {
        outstanding++;
        NativeBuffer b = idle.poll();
        return b != null ? b : NativeBuffer.allocate(bufferSize);
    }

    /**
     * @param buffer a buffer from {@link #acquire()}; freed if the pool is full or closed
     */
    public void release(NativeBuffer buffer) {
        outstanding--;
        if (closed || idle.size() >= maxIdle) {
            buffer.close();
        } else {
            idle.push(buffer);
        }
    }

    /**
     * @return buffers handed out and not given back
     */
    public int outstanding() {
        return outstanding;
    }

    /**
     * @return idle buffers held
     */
    public int idle() {
        return idle.size();
    }

    /**
     * @return the size of each buffer
     */
    public int bufferSize() {
        return bufferSize;
    }

    /** Frees the idle buffers; buffers still out are freed when released. */
    @Override
    public void close() {
        closed = true;
        for (NativeBuffer b = idle.poll(); b != null; b = idle.poll()) {
            b.close();
        }
    }
}
